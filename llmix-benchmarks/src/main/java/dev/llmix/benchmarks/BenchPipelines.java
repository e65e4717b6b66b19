package dev.llmix.benchmarks;

import dev.llmix.cache.TwoTierCache;
import dev.llmix.config.CachingStrategy;
import dev.llmix.keys.KeyPool;
import dev.llmix.pipeline.CallPipeline;
import dev.llmix.spi.DispatchFunction;
import dev.llmix.spi.LlmUsage;
import dev.llmix.pipeline.PipelineConfig;
import dev.llmix.spi.ProviderResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;

/** Builds pipelines the way an application would, with a throw-away state directory and one API key. */
final class BenchPipelines {

    /** A plausible answer of a few hundred characters, without thinking tags. */
    static final ProviderResult ANSWER = ProviderResult.of(
            "Yes. Under the booking policy a date change made more than 48 hours before departure is free for "
                    + "flexible fares; your reference QX-4471 is a flexible fare, so moving it to 14 May costs "
                    + "nothing. The child fare moves with it.\n\nIf the new flight is fuller, seats may change.",
            BenchRequests.MODEL, LlmUsage.of(240, 60, 300));

    private static final CompletableFuture<ProviderResult> DONE = CompletableFuture.completedFuture(ANSWER);

    /** A dispatch that answers at once: what remains is the pipeline's own work. */
    static final DispatchFunction NO_OP = context -> DONE;

    private BenchPipelines() {
    }

    /** An L1-only cache with the spec's defaults (1000 items, one hour). */
    static TwoTierCache memoryCache() {
        return TwoTierCache.builder()
                .strategy(CachingStrategy.MEMORY)
                .maxItems(1000)
                .ttl(Duration.ofHours(1))
                .build();
    }

    /** A pipeline with default settings, its own empty state directory, and one key for the benchmark provider. */
    static Handle open(@Nullable TwoTierCache cache, DispatchFunction dispatch) throws IOException {
        Path stateDir = Files.createTempDirectory("llmix-bench-state");
        PipelineConfig.Builder config = PipelineConfig.builder().stateDir(stateDir);
        if (cache != null) {
            config.responseCache(cache);
        }
        CallPipeline pipeline = new CallPipeline(config.build(), dispatch);
        pipeline.setKeyPool(BenchRequests.PROVIDER, new KeyPool(List.of("sk-bench-0000000000000000")));
        return new Handle(pipeline, stateDir);
    }

    /** A pipeline and the state directory to delete after it. */
    record Handle(CallPipeline pipeline, Path stateDir) implements AutoCloseable {
        @Override
        public void close() throws IOException {
            pipeline.close();
            Files.deleteIfExists(stateDir);
        }
    }

    /** Counts dispatches; used to check that a benchmark exercises the path it claims to. */
    static final class CountingDispatch implements DispatchFunction {
        private final DispatchFunction delegate;
        private final java.util.concurrent.atomic.LongAdder count = new java.util.concurrent.atomic.LongAdder();

        CountingDispatch(DispatchFunction delegate) {
            this.delegate = delegate;
        }

        @Override
        public CompletionStage<ProviderResult> dispatch(dev.llmix.spi.DispatchContext context) {
            count.increment();
            return delegate.dispatch(context);
        }

        long count() {
            return count.sum();
        }

        void reset() {
            count.reset();
        }
    }
}
