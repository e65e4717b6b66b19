package dev.llmix.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmix.keys.KeyPool;
import dev.llmix.keys.KeyPoolRegistry;
import dev.llmix.testsupport.FleetClients;
import dev.llmix.testsupport.RealRedis;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Shared key health by fingerprint: two coordinators with their own key pools on one real Redis (docs/fleet.md). */
class FleetKeysTest {

    @RegisterExtension
    static final RealRedis REDIS = RealRedis.create();

    private static final String K1 = "sk-live-aaaaaaaaaaaaaaaaaaaa1111";
    private static final String K2 = "sk-live-bbbbbbbbbbbbbbbbbbbb2222";
    private static final String DEAD = "llmix:fleet:keys:{openai}:dead";

    private FleetClients fleet;
    private KeyPool poolA;
    private KeyPool poolB;
    private FleetRuntime a;

    @BeforeEach
    void setUp() {
        REDIS.flushAll();
        fleet = new FleetClients(REDIS);
    }

    @AfterEach
    void tearDown() {
        fleet.close();
    }

    private void start(Duration deadTtl) {
        KeyPoolRegistry regA = new KeyPoolRegistry();
        KeyPoolRegistry regB = new KeyPoolRegistry();
        poolA = new KeyPool(List.of(K1, K2));
        poolB = new KeyPool(List.of(K1, K2));
        regA.put("openai", poolA);
        a = fleet.startHealthy(FleetClients.quick("a").keysShared(true).deadTtl(deadTtl).build());
        FleetRuntime b = fleet.startHealthy(FleetClients.quick("b").keysShared(true).deadTtl(deadTtl).build());
        FleetKeys.attach(a, regA);
        FleetKeys.attach(b, regB);
        regB.put("openai", poolB); // registered after attaching: later pools are shared too
    }

    @Test
    void fingerprintIsTheFirstSixteenHexOfSha256OfTheTrimmedKey() {
        assertThat(KeyPool.fingerprint("sk-test")).isEqualTo("f3abf2a6cc4f0098");
        assertThat(KeyPool.fingerprint("  sk-test\n")).isEqualTo("f3abf2a6cc4f0098");
    }

    @Test
    void deadOnAIsScoredAboutAnHourAheadAndBStopsSelectingItWithinOneSecond() {
        start(Duration.ofHours(1));
        assertThat(poolB.select()).isEqualTo(K1);
        poolA.markDead(K1);
        FleetClients.eventually(Duration.ofSeconds(1), () -> K2.equals(poolB.select()), "B still selects k1");
        String score = (String) REDIS.command("ZSCORE", DEAD, KeyPool.fingerprint(K1));
        long now = a.clock().redisMillis();
        assertThat(Long.parseLong(score) - now).isBetween(3_590_000L, 3_600_000L);
        assertThat((Long) REDIS.command("PTTL", DEAD)).isBetween(3_600_000L, 3_660_000L);
        assertNoKeyTextInRedis();
    }

    @Test
    void aSharedMarkExpiresAndTheKeyReturnsOnBothInstances() {
        start(Duration.ofSeconds(2));
        poolA.markDead(K1);
        FleetClients.eventually(Duration.ofSeconds(1), () -> poolB.aliveCount() == 1, "B never retired k1");
        FleetClients.eventually(Duration.ofSeconds(4), () -> poolA.aliveCount() == 2 && poolB.aliveCount() == 2,
                "k1 never returned");
        assertThat(poolB.select()).isEqualTo(K1);
    }

    @Test
    void zremRevivesTheKeyEverywhereWithinAPollInterval() {
        start(Duration.ofHours(1));
        poolA.markDead(K1);
        FleetClients.eventually(Duration.ofSeconds(1), () -> poolB.aliveCount() == 1, "B never retired k1");
        REDIS.command("ZREM", DEAD, KeyPool.fingerprint(K1));
        FleetClients.eventually(Duration.ofSeconds(1), () -> poolA.aliveCount() == 2 && poolB.aliveCount() == 2,
                "ZREM did not revive k1");
    }

    @Test
    void aKeyMarkedDeadWhileRedisIsDownIsPublishedOnRecovery() {
        start(Duration.ofHours(1));
        REDIS.kill();
        FleetClients.eventually(Duration.ofSeconds(5), () -> !a.healthy(), "A never noticed");
        poolA.markDead(K1);
        assertThat(poolA.aliveCount()).isEqualTo(1);
        REDIS.restart();
        FleetClients.eventually(Duration.ofSeconds(10), () -> poolB.aliveCount() == 1, "never shared after recovery");
        assertThat(poolA.aliveCount()).isEqualTo(1);
        assertThat(REDIS.command("ZSCORE", DEAD, KeyPool.fingerprint(K1))).isNotNull();
    }

    @Test
    void aCoolDownStartedWhileRedisIsDownIsPublishedOnRecoveryWithItsRemainingTime() {
        start(Duration.ofHours(1));
        REDIS.kill();
        FleetClients.eventually(Duration.ofSeconds(5), () -> !a.healthy(), "A never noticed");
        poolA.coolDown(K1, System.nanoTime() + Duration.ofSeconds(60).toNanos());
        REDIS.restart();
        FleetClients.eventually(Duration.ofSeconds(10), () -> poolB.coolingCount() == 1,
                "never shared after recovery");
        String score = String.valueOf(REDIS.command("ZSCORE", "llmix:fleet:keys:{openai}:cool", KeyPool.fingerprint(K1)));
        long left = Long.parseLong(score) - a.clock().redisMillis();
        assertThat(left).as("remaining cool-down published").isBetween(40_000L, 60_000L);
        assertThat(poolB.select()).isEqualTo(K2);
        assertNoKeyTextInRedis();
    }

    private static void assertNoKeyTextInRedis() {
        @SuppressWarnings("unchecked")
        List<String> keys = (List<String>) REDIS.command("KEYS", "*");
        StringBuilder all = new StringBuilder(String.join("\n", keys));
        for (String k : keys) {
            if ("zset".equals(REDIS.command("TYPE", k))) {
                all.append(REDIS.command("ZRANGE", k, "0", "-1"));
            }
        }
        for (String key : List.of(K1, K2)) {
            for (int i = 0; i + 12 <= key.length(); i++) {
                assertThat(all.toString()).doesNotContain(key.substring(i, i + 12));
            }
        }
    }
}
