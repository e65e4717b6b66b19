package dev.llmix.spring.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import java.time.Duration;
import org.springframework.data.redis.connection.RedisConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * Builds Lettuce connection factories with the response cache's timeouts (connect 5 s, command 3 s) for applications
 * that use plain Spring rather than Spring Boot's Redis auto-configuration.
 *
 * <p>While the connection is down, commands are rejected at once instead of being queued until the server returns, so
 * a dead Redis costs the call pipeline a cache miss, not a command timeout.
 */
public final class LlmixRedisConnections {

    /** TCP connect timeout. */
    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** Per-command timeout. */
    public static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(3);

    private LlmixRedisConnections() {
    }

    /**
     * An unstarted factory for {@code redisUrl} ({@code redis://[[user]:password@]host[:port][/db]} or {@code rediss://}),
     * to be declared as a Spring bean so that the container starts and destroys it.
     *
     * @throws IllegalArgumentException when the URL is blank or malformed (the message never repeats a password)
     */
    public static LettuceConnectionFactory connectionFactory(String redisUrl) {
        RedisURI uri = parse(redisUrl);
        RedisConfiguration server = LettuceConnectionFactory.createRedisConfiguration(uri);
        LettuceClientConfiguration client = LettuceClientConfiguration.builder()
                .apply(uri) // TLS, client name, ... from the URL
                .commandTimeout(COMMAND_TIMEOUT)
                .clientOptions(clientOptions())
                .build();
        return new LettuceConnectionFactory(server, client);
    }

    /**
     * A started factory for {@code redisUrl}; the caller owns it and must {@link LettuceConnectionFactory#destroy()
     * destroy} it. No connection is opened until the first command.
     */
    public static LettuceConnectionFactory startedConnectionFactory(String redisUrl) {
        LettuceConnectionFactory factory = connectionFactory(redisUrl);
        factory.afterPropertiesSet();
        factory.start();
        return factory;
    }

    /**
     * An unstarted factory that reaches the same Redis as {@code application} (standalone, sentinel or cluster, with
     * its TLS, client name, credentials and client resources) but with the response cache's timeouts and
     * reject-while-disconnected behaviour, so a Redis outage costs LLMix calls a miss instead of the application's
     * command timeout (Spring Boot's default is 60 s with commands queued while disconnected).
     */
    public static LettuceConnectionFactory isolatedFrom(LettuceConnectionFactory application) {
        return isolatedFrom(application, COMMAND_TIMEOUT);
    }

    /**
     * As {@link #isolatedFrom(LettuceConnectionFactory)} with another command timeout (the fleet's
     * {@code llmix.fleet.redis.command-timeout}).
     */
    public static LettuceConnectionFactory isolatedFrom(LettuceConnectionFactory application,
            Duration commandTimeout) {
        LettuceClientConfiguration app = application.getClientConfiguration();
        LettuceClientConfiguration.LettuceClientConfigurationBuilder builder = LettuceClientConfiguration.builder();
        if (app.isUseSsl()) {
            LettuceClientConfiguration.LettuceSslClientConfigurationBuilder ssl = builder.useSsl()
                    .verifyPeer(app.getVerifyMode());
            if (app.isStartTls()) {
                ssl.startTls();
            }
            builder = ssl.and();
        }
        app.getClientName().ifPresent(builder::clientName);
        app.getClientResources().ifPresent(builder::clientResources);
        app.getReadFrom().ifPresent(builder::readFrom);
        app.getRedisCredentialsProviderFactory().ifPresent(builder::redisCredentialsProviderFactory);
        LettuceClientConfiguration client = builder.commandTimeout(commandTimeout)
                .clientOptions(clientOptions(commandTimeout)).build();
        if (application.getClusterConfiguration() != null) {
            return new LettuceConnectionFactory(application.getClusterConfiguration(), client);
        }
        if (application.getSentinelConfiguration() != null) {
            return new LettuceConnectionFactory(application.getSentinelConfiguration(), client);
        }
        return new LettuceConnectionFactory(application.getStandaloneConfiguration(), client);
    }

    /** The Lettuce client options used by {@link #connectionFactory(String)}. */
    public static ClientOptions clientOptions() {
        return clientOptions(COMMAND_TIMEOUT);
    }

    /** The same client options with another command timeout. */
    public static ClientOptions clientOptions(Duration commandTimeout) {
        return ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .socketOptions(SocketOptions.builder().connectTimeout(CONNECT_TIMEOUT).build())
                .timeoutOptions(TimeoutOptions.enabled(commandTimeout))
                .build();
    }

    /** {@code redisUrl} with any user-info replaced by {@code ***}, safe to log. */
    public static String redactUrl(String redisUrl) {
        int scheme = redisUrl.indexOf("://");
        int start = scheme < 0 ? 0 : scheme + 3;
        int at = redisUrl.lastIndexOf('@');
        int slash = redisUrl.indexOf('/', start);
        if (at >= start && (slash < 0 || at < slash)) {
            return redisUrl.substring(0, start) + "***" + redisUrl.substring(at);
        }
        return redisUrl;
    }

    private static RedisURI parse(String redisUrl) {
        if (redisUrl == null || redisUrl.isBlank()) {
            throw new IllegalArgumentException("Redis URL must not be blank");
        }
        try {
            return RedisURI.create(redisUrl.trim());
        } catch (RuntimeException e) {
            // The parser's own message may echo the URL, password included: report only the redacted form.
            throw new IllegalArgumentException("Invalid Redis URL " + redactUrl(redisUrl.trim())
                    + " (" + e.getClass().getSimpleName() + ")");
        }
    }
}
