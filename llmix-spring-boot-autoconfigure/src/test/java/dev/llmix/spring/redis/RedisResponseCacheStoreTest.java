package dev.llmix.spring.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmix.testsupport.RealRedis;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The transport alone against a real Redis: the three commands it issues and how it fails. */
class RedisResponseCacheStoreTest {

    @RegisterExtension
    static final RealRedis REDIS = RealRedis.create();

    private static RedisResponseCacheStore store;

    @BeforeAll
    static void openStore() {
        store = RedisResponseCacheStore.fromUrl(REDIS.url());
    }

    @AfterAll
    static void closeStore() {
        store.close();
    }

    @BeforeEach
    void flush() {
        REDIS.flushAll();
    }

    @Test
    void setexStoresTheValueWithTheTtl() throws Exception {
        store.setex("llmix:resp:abc", 60, "{\"data\":\"Hello\",\"cached_at\":1767225600}");

        assertThat(REDIS.command("GET", "llmix:resp:abc")).isEqualTo("{\"data\":\"Hello\",\"cached_at\":1767225600}");
        assertThat((Long) REDIS.command("TTL", "llmix:resp:abc")).isBetween(59L, 60L);
    }

    @Test
    void setexIssuesTheSetexCommand() throws Exception {
        REDIS.command("CONFIG", "RESETSTAT");

        store.setex("k", 5, "v");

        assertThat(commandCalls("setex")).isEqualTo(1);
        assertThat(commandCalls("set")).isZero();
    }

    @Test
    void getReturnsWhatAnotherClientWrote() throws Exception {
        REDIS.command("SET", "llmix:resp:other", "{\"data\":\"x\",\"cachedAt\":1}");

        assertThat(store.get("llmix:resp:other")).isEqualTo("{\"data\":\"x\",\"cachedAt\":1}");
    }

    @Test
    void getReturnsNullForAMissingKey() throws Exception {
        assertThat(store.get("llmix:resp:missing")).isNull();
    }

    @Test
    void valuesRoundTripAsUtf8() throws Exception {
        String text = "{\"data\":\"h\u00e9llo \u4e16\u754c \ud83d\ude00\",\"cached_at\":1}";
        store.setex("u", 60, text);

        assertThat(store.get("u")).isEqualTo(text);
    }

    @Test
    void aFiveMegabyteValueRoundTrips() throws Exception {
        String big = "x".repeat(5 * 1024 * 1024);
        store.setex("big", 60, big);

        assertThat(store.get("big")).hasSize(big.length());
    }

    @Test
    void pingSucceedsAgainstALiveServer() throws Exception {
        store.ping();
    }

    @Test
    void setexRejectsANonPositiveTtl() {
        assertThatThrownBy(() -> store.setex("k", 0, "v")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void commandsFailWhileRedisIsDownAndWorkAgainAfterRestart() throws Exception {
        store.setex("before", 60, "v");
        REDIS.kill();
        try {
            assertThatThrownBy(() -> store.get("before")).isInstanceOf(RuntimeException.class);
            assertThatThrownBy(() -> store.ping()).isInstanceOf(RuntimeException.class);
            assertThatThrownBy(() -> store.setex("during", 60, "v")).isInstanceOf(RuntimeException.class);
        } finally {
            REDIS.restart();
        }
        awaitPing(store);
        store.setex("after", 60, "v2");
        assertThat(store.get("after")).isEqualTo("v2");
    }

    @Test
    void aStoreOnAnUnreachableServerFailsOnUseNotOnConstruction() {
        try (RedisResponseCacheStore dead = RedisResponseCacheStore.fromUrl("redis://127.0.0.1:1")) {
            assertThatThrownBy(() -> dead.get("k")).isInstanceOf(RuntimeException.class);
            assertThatThrownBy(dead::ping).isInstanceOf(RuntimeException.class);
        }
    }

    @Test
    void closeTwiceIsHarmless() {
        RedisResponseCacheStore own = RedisResponseCacheStore.fromUrl(REDIS.url());
        own.close();
        own.close();
    }

    @Test
    void aStoreOnASharedFactoryLeavesItOpenOnClose() throws Exception {
        var factory = LlmixRedisConnections.startedConnectionFactory(REDIS.url());
        try {
            new RedisResponseCacheStore(factory).close();
            assertThat(factory.isRunning()).isTrue();
            new RedisResponseCacheStore(factory).ping();
        } finally {
            factory.destroy();
        }
    }

    static void awaitPing(RedisResponseCacheStore s) throws InterruptedException {
        long deadline = System.nanoTime() + 15_000_000_000L;
        while (true) {
            try {
                s.ping();
                return;
            } catch (RuntimeException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(50);
            }
        }
    }

    private static long commandCalls(String command) {
        String info = (String) REDIS.command("INFO", "commandstats");
        Matcher m = Pattern.compile("cmdstat_" + command + ":calls=(\\d+)").matcher(info);
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }
}
