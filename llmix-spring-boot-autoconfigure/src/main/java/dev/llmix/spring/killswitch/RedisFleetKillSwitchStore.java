package dev.llmix.spring.killswitch;

import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.springframework.data.redis.core.StringRedisTemplate;

/** The fleet kill switch under one Redis string key. */
public final class RedisFleetKillSwitchStore implements FleetKillSwitchStore {

    private final StringRedisTemplate redis;
    private final String key;

    public RedisFleetKillSwitchStore(StringRedisTemplate redis, String key) {
        this.redis = Objects.requireNonNull(redis, "redis");
        this.key = Objects.requireNonNull(key, "key");
    }

    @Override
    public @Nullable String read() {
        return redis.opsForValue().get(key);
    }

    @Override
    public void write(String document) {
        redis.opsForValue().set(key, document);
    }

    @Override
    public void delete() {
        redis.delete(key);
    }

    @Override
    public String describe() {
        return "Redis key " + key;
    }
}
