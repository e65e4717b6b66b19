package dev.llmix.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmix.testsupport.FleetClients;
import dev.llmix.testsupport.RealRedis;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The fleet runtime on a real Redis: membership, clock, events, outage and recovery (docs/fleet.md). */
class FleetRuntimeTest {

    @RegisterExtension
    static final RealRedis REDIS = RealRedis.create();

    private FleetClients fleet;

    @BeforeEach
    void setUp() {
        REDIS.flushAll();
        fleet = new FleetClients(REDIS);
    }

    @AfterEach
    void tearDown() {
        fleet.close();
    }

    @Test
    void twoInstancesSeeEachOtherAsMembers() {
        FleetRuntime a = fleet.startHealthy(FleetClients.quick("a").build());
        FleetRuntime b = fleet.startHealthy(FleetClients.quick("b").build());
        FleetClients.eventually(Duration.ofSeconds(3), () -> a.members() == 2 && b.members() == 2,
                "members never reached 2");
        assertThat(String.valueOf(REDIS.command("ZRANGE", "llmix:fleet:members", "0", "-1")))
                .isIn("[a, b]", "[b, a]");
        assertThat((Long) REDIS.command("PTTL", "llmix:fleet:members")).isBetween(1L, 3_600_000L);
    }

    @Test
    void memberThatStopsDropsOutAfterTheMemberTtl() {
        FleetRuntime a = fleet.startHealthy(FleetClients.quick("a").build());
        FleetRuntime b = fleet.startHealthy(FleetClients.quick("b").build());
        FleetClients.eventually(Duration.ofSeconds(3), () -> a.members() == 2, "members never reached 2");
        b.close();
        FleetClients.eventually(Duration.ofSeconds(5), () -> a.members() == 1, "b never dropped out");
    }

    @Test
    void redisClockCorrectsAHostWhoseWallClockIsTenMinutesAhead() {
        Clock ahead = Clock.offset(Clock.systemUTC(), Duration.ofMinutes(10));
        FleetRuntime a = fleet.startHealthy(FleetClients.quick("a").build());
        FleetRuntime b = fleet.start(FleetClients.quick("b").build(), new RedisClock(ahead, System::nanoTime));
        FleetClients.eventually(Duration.ofSeconds(10), b::healthy, "b never became healthy");
        assertThat(b.clock().offsetMillis()).isBetween(-610_000L, -590_000L);
        assertThat(Math.abs(a.clock().redisMillis() - b.clock().redisMillis())).isLessThanOrEqualTo(10L);
    }

    @Test
    void eventsReachOtherInstancesButNotTheSender() {
        FleetRuntime a = fleet.startHealthy(FleetClients.quick("a").build());
        FleetRuntime b = fleet.startHealthy(FleetClients.quick("b").build());
        List<String> atA = new CopyOnWriteArrayList<>();
        List<String> atB = new CopyOnWriteArrayList<>();
        a.onEvent("test", n -> atA.add(n.path("x").asString()));
        b.onEvent("test", n -> atB.add(n.path("x").asString()));
        a.publish("test", "{\"v\":1,\"type\":\"test\",\"src\":\"a\",\"x\":\"hello\"}");
        FleetClients.eventually(Duration.ofSeconds(2), () -> atB.size() == 1, "b never received the event");
        assertThat(atB).containsExactly("hello");
        assertThat(atA).isEmpty();
    }

    @Test
    void malformedAndUnknownMessagesAreCountedAndIgnored() {
        FleetRuntime b = fleet.startHealthy(FleetClients.quick("b").build());
        List<String> counted = new CopyOnWriteArrayList<>();
        b.eventCounter((type, direction, result) -> counted.add(type + "/" + direction + "/" + result));
        b.onEvent("test", n -> true);
        REDIS.command("PUBLISH", "llmix:fleet:events", "not json");
        REDIS.command("PUBLISH", "llmix:fleet:events", "{\"v\":1,\"type\":\"nobody\",\"src\":\"z\"}");
        REDIS.command("PUBLISH", "llmix:fleet:events", "{\"v\":1,\"type\":\"test\",\"src\":\"z\"}");
        FleetClients.eventually(Duration.ofSeconds(2), () -> counted.size() == 3, "not every message was counted");
        assertThat(counted).containsExactly("unknown/in/malformed", "unknown/in/ignored", "test/in/applied");
    }

    @Test
    void redisKilledMakesTheRuntimeUnhealthyAndCommandsFailAtOnceThenItRecoversWithoutRestart() throws Exception {
        FleetRuntime a = fleet.startHealthy(FleetClients.quick("a").build());
        AtomicInteger recoveries = new AtomicInteger();
        AtomicInteger outages = new AtomicInteger();
        a.onRecovery(recoveries::incrementAndGet);
        a.onOutage(outages::incrementAndGet);
        REDIS.kill();
        FleetClients.eventually(Duration.ofSeconds(5), () -> !a.healthy(), "never noticed the outage");
        FleetClients.eventually(Duration.ofSeconds(2), () -> outages.get() >= 1, "outage listener never ran: " + outages);
        assertThat(outages.get()).isEqualTo(1);
        assertThat(a.status().lastError()).isNotNull();
        // While unhealthy nothing is sent: the command fails at once with the fleet's own exception.
        assertThatThrownBy(() -> a.callPath(c -> c.get("x")).get(5, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(FleetUnavailableException.class);
        REDIS.restart();
        FleetClients.eventually(Duration.ofSeconds(10), () -> a.healthy() && recoveries.get() == 1, "never recovered");
        assertThat(a.status().lastError()).isNull();
        assertThat(REDIS.command("ZRANGE", "llmix:fleet:members", "0", "-1")).isEqualTo(List.of("a"));
        assertThat(a.status().since()).isBefore(Instant.now().plusSeconds(1).atOffset(ZoneOffset.UTC).toInstant());
    }

    @Test
    void aRuntimeStartedWhileRedisIsDownConnectsWhenItComesUp() {
        REDIS.kill();
        FleetRuntime a = fleet.start(FleetClients.quick("a").build());
        assertThat(a.healthy()).isFalse();
        assertThat(a.members()).isZero();
        REDIS.restart();
        FleetClients.eventually(Duration.ofSeconds(10), a::healthy, "never connected");
        assertThat(a.everConnected()).isTrue();
    }

    @Test
    void instanceIdsAreSanitised() {
        assertThat(FleetSettings.sanitizeInstanceId("web 1/α:2")).isEqualTo("web_1___2");
        assertThat(FleetSettings.sanitizeInstanceId("x".repeat(80))).hasSize(64);
        assertThat(FleetSettings.defaultInstanceId()).matches("[A-Za-z0-9._-]+-\\d+-[0-9a-f]{4}");
    }

    @Test
    void outOfRangeSettingsAreRejected() {
        assertThatThrownBy(() -> FleetSettings.builder().pollInterval(Duration.ofSeconds(2)).build())
                .hasMessageContaining("poll-interval");
        assertThatThrownBy(() -> FleetSettings.builder().memberTtl(Duration.ofSeconds(6)).build())
                .hasMessageContaining("member-ttl");
        assertThatThrownBy(() -> FleetSettings.builder().callTimeout(Duration.ofSeconds(4)).build())
                .hasMessageContaining("call-timeout");
    }
}
