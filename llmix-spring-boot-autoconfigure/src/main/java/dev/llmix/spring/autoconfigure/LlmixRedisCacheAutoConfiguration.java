package dev.llmix.spring.autoconfigure;

import dev.llmix.spi.ResponseCacheStore;
import dev.llmix.spring.redis.RedisResponseCacheStore;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * The Redis L2 store of the response cache: a {@link RedisResponseCacheStore} on the application's
 * {@link RedisConnectionFactory} (Spring Boot's, configured with {@code spring.data.redis.*}) when Spring Data Redis is
 * on the class path and {@code llmix.cache.strategy} is {@code redis} or {@code redis-or-memory}. Ordered after Boot's
 * Redis auto-configuration and before {@link LlmixAutoConfiguration}, which builds the two-tier cache on top.
 */
@AutoConfiguration(before = LlmixAutoConfiguration.class,
        afterName = "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration")
@ConditionalOnClass({RedisConnectionFactory.class, RedisResponseCacheStore.class})
@EnableConfigurationProperties(LlmixProperties.class)
@ConditionalOnSingleCandidate(RedisConnectionFactory.class)
@Conditional(OnResponseCacheStrategyCondition.Redis.class)
public final class LlmixRedisCacheAutoConfiguration {

    // Closing is idempotent: the two-tier cache closes its L2 first. It only ever shuts down an isolated copy of the
    // connection; the application's connection factory belongs to Boot.
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean(ResponseCacheStore.class)
    RedisResponseCacheStore llmixRedisResponseCacheStore(RedisConnectionFactory connectionFactory,
            LlmixProperties properties) {
        if (properties.getCache().isIsolatedRedisConnection()
                && connectionFactory instanceof LettuceConnectionFactory lettuce) {
            return RedisResponseCacheStore.isolatedFrom(lettuce);
        }
        return new RedisResponseCacheStore(connectionFactory);
    }
}
