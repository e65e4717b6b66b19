package dev.llmix.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.llmix.cache.TwoTierCache;
import dev.llmix.client.LlmixClient;
import dev.llmix.client.Message;
import dev.llmix.spi.CacheHitTier;
import dev.llmix.pipeline.CallResponse;
import dev.llmix.spi.LlmUsage;
import dev.llmix.spi.ProviderResult;
import dev.llmix.testsupport.RealRedis;
import dev.llmix.testsupport.ScriptedDispatch;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

/**
 * Shared set-up of the per-cache-mode {@code @SpringBootTest}s against a real Redis: a published registry whose preset
 * {@code chat/reply} uses the mode under test, a counting dispatch function, and a check that a second application
 * context (empty L1) is answered from L2 without dispatching.
 */
final class RealRedisCacheModeTestSupport {

    private RealRedisCacheModeTestSupport() {
    }

    /** The application under test: only auto-configuration plus a counting dispatch function. */
    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class App {

        @Bean
        ScriptedDispatch countingDispatch() {
            return new ScriptedDispatch((ctx, n) -> CompletableFuture.completedFuture(
                    ProviderResult.of("answer from " + ctx.model(), ctx.model(), LlmUsage.of(3, 4, 7))));
        }
    }

    /** The application properties for {@code mode}: registry, Redis URL, strategy, key prefix, state dir. */
    static Map<String, String> properties(String mode, RealRedis redis) {
        try {
            Path tmp = Files.createTempDirectory("llmix-spring-" + mode);
            Path root = TestRegistry.publish(tmp.resolve("llm"),
                    TestRegistry.onePreset("chat/reply", "openai", "gpt-" + mode, mode));
            Map<String, String> p = new LinkedHashMap<>();
            p.put("llmix.config.root", root.toString());
            p.put("llmix.kill-switch.state-dir", tmp.resolve("state").toString());
            p.put("llmix.cache.strategy", mode);
            p.put("llmix.cache.key-prefix", "test:" + mode + ":");
            p.put("spring.data.redis.url", redis.url());
            p.put("llmix.keys.openai", "sk-test-key-0123456789");
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Calls the preset in {@code first}, waits for the L2 write, then starts a second context with the same properties
     * and calls it again there: the first call dispatches, the second is an {@code l2} hit without dispatching.
     */
    static void callTwiceAcrossTwoContexts(String mode, RealRedis redis, Map<String, String> properties,
            ConfigurableApplicationContext first) {
        LlmixClient client = first.getBean(LlmixClient.class);
        ScriptedDispatch firstDispatch = first.getBean(ScriptedDispatch.class);
        assertThat(first.getBean(TwoTierCache.class).stats().l2Enabled()).isTrue();

        CallResponse fresh = client.call("chat", "reply", List.of(Message.user("hello " + mode)));

        assertThat(fresh.error()).isNull();
        assertThat(fresh.success()).isTrue();
        assertThat(fresh.content()).isEqualTo("answer from gpt-" + mode);
        assertThat(fresh.cacheHit()).isNull();
        assertThat(firstDispatch.count()).isEqualTo(1);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat((List<?>) redis.command("KEYS", "test:" + mode + ":*")).hasSize(1));

        List<String> args = new ArrayList<>();
        properties.forEach((k, v) -> args.add("--" + k + "=" + v));
        try (ConfigurableApplicationContext second = new SpringApplicationBuilder(App.class)
                .web(WebApplicationType.NONE).run(args.toArray(String[]::new))) {
            CallResponse cached = second.getBean(LlmixClient.class)
                    .call("chat", "reply", List.of(Message.user("hello " + mode)));

            assertThat(cached.success()).isTrue();
            assertThat(cached.content()).isEqualTo("answer from gpt-" + mode);
            assertThat(cached.cacheHit()).isEqualTo(CacheHitTier.L2);
            assertThat(second.getBean(ScriptedDispatch.class).count()).isZero();
        }
    }
}
