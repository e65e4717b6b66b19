package dev.llmix.spring.autoconfigure;

import dev.llmix.testsupport.RealRedis;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The starter with {@code llmix.cache.strategy=redis} against a real Redis. */
@SpringBootTest(classes = RealRedisCacheModeTestSupport.App.class)
class RedisCacheModeSpringBootTest {

    private static final String MODE = "redis";

    @RegisterExtension
    static final RealRedis REDIS = RealRedis.create();

    private static Map<String, String> properties;

    @DynamicPropertySource
    static void llmixProperties(DynamicPropertyRegistry registry) {
        properties = RealRedisCacheModeTestSupport.properties(MODE, REDIS.start());
        properties.forEach((name, value) -> registry.add(name, () -> value));
    }

    @Autowired
    ConfigurableApplicationContext context;

    @Test
    void presetCalledTwiceDispatchesOnceThenHitsL2FromASecondContext() {
        RealRedisCacheModeTestSupport.callTwiceAcrossTwoContexts(MODE, REDIS, properties, context);
    }
}
