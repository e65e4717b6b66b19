package dev.llmix.spring.redis;

import dev.llmix.spi.ResponseCacheStore;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * The L2 transport of the response cache on Spring Data Redis: {@code GET}, {@code SETEX} and {@code PING} against a
 * {@link RedisConnectionFactory}. Payload format, health tracking and logging belong to
 * {@link dev.llmix.cache.TwoTierCache}; this class only moves strings and lets every Redis error propagate.
 */
public final class RedisResponseCacheStore implements ResponseCacheStore {

    private final StringRedisTemplate template;
    private final @Nullable LettuceConnectionFactory ownedFactory;
    private final AtomicBoolean closed = new AtomicBoolean();

    /**
     * A store on a connection factory managed elsewhere (typically Spring Boot's); {@link #close()} leaves it open.
     */
    public RedisResponseCacheStore(RedisConnectionFactory connectionFactory) {
        this(connectionFactory, null);
    }

    private RedisResponseCacheStore(RedisConnectionFactory connectionFactory, @Nullable LettuceConnectionFactory owned) {
        this.template = new StringRedisTemplate(connectionFactory);
        this.ownedFactory = owned;
    }

    /**
     * A store that owns a Lettuce connection to {@code redisUrl} built by {@link LlmixRedisConnections} (connect
     * 5 s, command 3 s); {@link #close()} shuts it down. Connects lazily, on the first command.
     *
     * @throws IllegalArgumentException when the URL is blank or malformed
     */
    public static RedisResponseCacheStore fromUrl(String redisUrl) {
        LettuceConnectionFactory factory = LlmixRedisConnections.startedConnectionFactory(redisUrl);
        return new RedisResponseCacheStore(factory, factory);
    }

    /**
     * A store on its own started copy of {@code application}'s connection with the response cache's timeouts (see
     * {@link LlmixRedisConnections#isolatedFrom}); {@link #close()} shuts that copy down, never the application's.
     */
    public static RedisResponseCacheStore isolatedFrom(LettuceConnectionFactory application) {
        LettuceConnectionFactory factory = LlmixRedisConnections.isolatedFrom(application);
        factory.afterPropertiesSet();
        factory.start();
        return new RedisResponseCacheStore(factory, factory);
    }

    @Override
    public @Nullable String get(String key) {
        return template.opsForValue().get(key);
    }

    /** Issues {@code SETEX key ttlSeconds value}. */
    @Override
    public void setex(String key, long ttlSeconds, String value) {
        if (ttlSeconds < 1) {
            throw new IllegalArgumentException("ttlSeconds must be >= 1, got " + ttlSeconds);
        }
        byte[] rawKey = key.getBytes(StandardCharsets.UTF_8);
        byte[] rawValue = value.getBytes(StandardCharsets.UTF_8);
        template.execute((RedisCallback<@Nullable Boolean>) connection ->
                connection.stringCommands().setEx(rawKey, ttlSeconds, rawValue));
    }

    @Override
    public void ping() {
        String reply = template.execute((RedisCallback<@Nullable String>) connection -> connection.ping());
        if (!"PONG".equalsIgnoreCase(reply)) {
            throw new IllegalStateException("Unexpected PING reply from Redis: " + reply);
        }
    }

    /** Shuts down the connection when this store created it ({@link #fromUrl(String)}); otherwise does nothing. */
    @Override
    public void close() {
        if (ownedFactory != null && closed.compareAndSet(false, true)) {
            ownedFactory.destroy();
        }
    }

    /** Whether this store owns its connection (built from a URL or isolated from the application's). */
    public boolean ownsConnection() {
        return ownedFactory != null;
    }

    @Override
    public String toString() {
        return "RedisResponseCacheStore[ownsConnection=" + ownsConnection() + "]";
    }
}
