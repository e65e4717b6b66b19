package dev.llmix.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class RealRedisTest {

    @RegisterExtension
    static final RealRedis REDIS = RealRedis.create();

    @Test
    void answersPingAndStoresValues() {
        assertThat(REDIS.command("PING")).isEqualTo("PONG");
        REDIS.command("SET", "real-redis-test", "v");
        assertThat(REDIS.command("GET", "real-redis-test")).isEqualTo("v");
    }

    @Test
    void urlNamesHostAndPort() {
        assertThat(REDIS.url()).isEqualTo("redis://" + REDIS.host() + ":" + REDIS.port());
        assertThat(REDIS.port()).isPositive();
    }

    @Test
    void flushAllRemovesEveryKey() {
        REDIS.command("SET", "a", "1");
        REDIS.command("SET", "b", "2");
        REDIS.flushAll();
        assertThat(REDIS.command("DBSIZE")).isEqualTo(0L);
    }

    @Test
    void killMakesTheServerUnreachableAndRestartBringsItBackOnTheSamePort() {
        int port = REDIS.port();
        REDIS.kill();
        assertThat(REDIS.isKilled()).isTrue();
        assertThat(RespClient.ping(REDIS.host(), port, 300)).isFalse();

        REDIS.restart();
        assertThat(REDIS.isKilled()).isFalse();
        assertThat(REDIS.port()).isEqualTo(port);
        assertThat(REDIS.command("PING")).isEqualTo("PONG");
    }

    @Test
    void errorRepliesBecomeExceptions() {
        assertThatThrownBy(() -> REDIS.command("NO-SUCH-COMMAND"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("unknown command");
    }

    @Test
    void anUnstartedServerSaysHowToStartIt() {
        try (RealRedis unstarted = RealRedis.create()) {
            assertThatThrownBy(unstarted::port).hasMessageContaining("not started");
        }
    }
}
