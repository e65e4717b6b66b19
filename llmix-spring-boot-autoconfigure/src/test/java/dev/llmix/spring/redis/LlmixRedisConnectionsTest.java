package dev.llmix.spring.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lettuce.core.ClientOptions;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

class LlmixRedisConnectionsTest {

    @Test
    void factoryUsesTheSpecTimeouts() {
        LettuceConnectionFactory factory = LlmixRedisConnections.connectionFactory("redis://127.0.0.1:6390/2");

        assertThat(factory.getClientConfiguration().getCommandTimeout()).hasSeconds(3);
        ClientOptions options = factory.getClientConfiguration().getClientOptions().orElseThrow();
        assertThat(options.getSocketOptions().getConnectTimeout()).hasSeconds(5);
        assertThat(options.getDisconnectedBehavior()).isEqualTo(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS);
        assertThat(factory.getHostName()).isEqualTo("127.0.0.1");
        assertThat(factory.getPort()).isEqualTo(6390);
        assertThat(factory.getDatabase()).isEqualTo(2);
    }

    @Test
    void isolatedCopyReachesTheSameServerWithTheSpecTimeouts() {
        RedisStandaloneConfiguration server = new RedisStandaloneConfiguration("10.1.2.3", 6381);
        server.setDatabase(4);
        server.setPassword("app-secret");
        LettuceConnectionFactory application = new LettuceConnectionFactory(server,
                LettuceClientConfiguration.builder().useSsl().and().clientName("app")
                        .commandTimeout(Duration.ofSeconds(60)).build());

        LettuceConnectionFactory isolated = LlmixRedisConnections.isolatedFrom(application);

        assertThat(isolated).isNotSameAs(application);
        assertThat(isolated.getHostName()).isEqualTo("10.1.2.3");
        assertThat(isolated.getPort()).isEqualTo(6381);
        assertThat(isolated.getDatabase()).isEqualTo(4);
        assertThat(isolated.getPassword()).isEqualTo("app-secret");
        assertThat(isolated.isUseSsl()).isTrue();
        assertThat(isolated.getClientName()).isEqualTo("app");
        assertThat(isolated.getClientConfiguration().getCommandTimeout()).hasSeconds(3);
        assertThat(isolated.getClientConfiguration().getClientOptions().orElseThrow().getDisconnectedBehavior())
                .isEqualTo(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS);
        assertThat(application.getClientConfiguration().getCommandTimeout()).hasSeconds(60);
    }

    @Test
    void passwordFromTheUrlIsApplied() {
        LettuceConnectionFactory factory = LlmixRedisConnections.connectionFactory("redis://:s3cret@localhost:6379");

        assertThat(factory.getPassword()).isEqualTo("s3cret");
    }

    @Test
    void tlsSchemeEnablesSsl() {
        assertThat(LlmixRedisConnections.connectionFactory("rediss://localhost:6380").isUseSsl()).isTrue();
    }

    @Test
    void blankUrlIsRejected() {
        assertThatThrownBy(() -> LlmixRedisConnections.connectionFactory("  "))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Redis URL must not be blank");
    }

    @Test
    void malformedUrlIsRejectedWithoutThePassword() {
        assertThatThrownBy(() -> LlmixRedisConnections.connectionFactory("http://user:hunter2@host:6379"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("http://***@host:6379")
                .hasMessageNotContaining("hunter2")
                .hasNoCause();
    }

    @Test
    void redactUrlHidesUserInfoOnly() {
        assertThat(LlmixRedisConnections.redactUrl("redis://:pw@h:1/0")).isEqualTo("redis://***@h:1/0");
        assertThat(LlmixRedisConnections.redactUrl("redis://h:1")).isEqualTo("redis://h:1");
    }
}
