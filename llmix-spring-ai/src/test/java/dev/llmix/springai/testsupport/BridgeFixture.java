package dev.llmix.springai.testsupport;

import dev.llmix.cache.TwoTierCache;
import dev.llmix.client.LlmixClient;
import dev.llmix.config.CachingStrategy;
import dev.llmix.config.CommonParams;
import dev.llmix.config.ConfigNotFoundException;
import dev.llmix.config.LlmConfig;
import dev.llmix.keys.KeyPool;
import dev.llmix.pipeline.CallPipeline;
import dev.llmix.spi.DispatchFunction;
import dev.llmix.pipeline.PipelineConfig;
import dev.llmix.provider.http.OpenAiCompatibleAdapter;
import dev.llmix.springai.LlmixChatModel;
import dev.llmix.springai.LlmixChatOptions;
import io.micrometer.observation.ObservationRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * The acceptance-check setup of the Spring AI bridge without Spring: a real pipeline with LLMix's OpenAI adapter on a
 * {@link FakeOpenAiServer}, pool {@code ["sk-test-a"]}, presets {@code demo/chat} (temperature 0.2, 256 tokens, memory
 * caching), {@code demo/fresh} (same, no caching) and {@code demo/other} (temperature 0.5, no caching), no retries,
 * a temporary state directory, and an {@link LlmixChatModel} whose defaults are {@code demo/chat}.
 */
public final class BridgeFixture implements AutoCloseable {

    public final FakeOpenAiServer server;
    public final Path stateDir;
    public final CallPipeline pipeline;
    public final LlmixClient client;
    public final Map<String, LlmConfig> presets = new HashMap<>();
    /** The pipeline's response cache (memory only). */
    public final TwoTierCache cache = TwoTierCache.builder().strategy(CachingStrategy.MEMORY).maxItems(100)
            .ttl(Duration.ofHours(1)).build();

    private BridgeFixture(FakeOpenAiServer server, UnaryOperator<PipelineConfig.Builder> tweak,
            DispatchFunction dispatch) {
        this.server = server;
        try {
            this.stateDir = Files.createTempDirectory("llmix-springai-state");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String base = server.baseUrl() + "/v1";
        CommonParams chat = CommonParams.builder().temperature(0.2).maxOutputTokens(256).build();
        presets.put("demo/chat", LlmConfig.builder("openai", "gpt-4o-mini").baseUrl(base).common(chat)
                .caching(CachingStrategy.MEMORY).build());
        presets.put("demo/fresh", LlmConfig.builder("openai", "gpt-4o-mini").baseUrl(base).common(chat)
                .caching(CachingStrategy.DISABLED).build());
        presets.put("demo/other", LlmConfig.builder("openai", "gpt-4o-mini").baseUrl(base)
                .common(CommonParams.builder().temperature(0.5).build()).caching(CachingStrategy.DISABLED).build());
        PipelineConfig.Builder config = PipelineConfig.builder()
                .stateDir(stateDir)
                .maxRetries(0)
                .retryBaseMs(1)
                .retryJitterMs(0)
                .responseCache(cache);
        this.pipeline = new CallPipeline(tweak.apply(config).build(), dispatch);
        pipeline.setKeyPool("openai", new KeyPool(List.of("sk-test-a")));
        this.client = new LlmixClient(pipeline, (module, preset) -> {
            LlmConfig c = presets.get(module + "/" + preset);
            if (c == null) {
                throw new ConfigNotFoundException("Preset " + module + "/" + preset + " not found in "
                        + stateDir.resolve("configs").toAbsolutePath());
            }
            return c;
        });
    }

    /** The default setup on a new fake server. */
    public static BridgeFixture start() {
        return start(UnaryOperator.identity());
    }

    /** The default setup with pipeline settings changed by {@code tweak}. */
    public static BridgeFixture start(UnaryOperator<PipelineConfig.Builder> tweak) {
        return new BridgeFixture(FakeOpenAiServer.start(), tweak, new OpenAiCompatibleAdapter());
    }

    /** The default setup whose pipeline calls {@code dispatch} instead of LLMix's OpenAI adapter. */
    public static BridgeFixture startWith(DispatchFunction dispatch) {
        return new BridgeFixture(FakeOpenAiServer.start(), UnaryOperator.identity(), dispatch);
    }

    /** An {@link LlmixChatModel} with defaults {@code demo/chat}. */
    public LlmixChatModel model() {
        return model(ObservationRegistry.NOOP);
    }

    /** An {@link LlmixChatModel} with defaults {@code demo/chat} observed by {@code registry}. */
    public LlmixChatModel model(ObservationRegistry registry) {
        return LlmixChatModel.builder(client)
                .defaultOptions(LlmixChatOptions.builder().module("demo").preset("chat").build())
                .observationRegistry(registry)
                .build();
    }

    /** Engages the kill switch by creating its file. */
    public void engageKillSwitch() {
        try {
            Files.writeString(stateDir.resolve("killswitch"), "test");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        pipeline.close();
        server.close();
        try (Stream<Path> files = Files.walk(stateDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // best effort
        }
    }
}
