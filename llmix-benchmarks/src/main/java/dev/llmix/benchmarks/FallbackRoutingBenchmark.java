package dev.llmix.benchmarks;

import dev.llmix.client.FallbackAlternative;
import dev.llmix.client.FallbackChains;
import dev.llmix.client.LlmixClient;
import dev.llmix.config.CachingStrategy;
import dev.llmix.config.LlmConfig;
import dev.llmix.pipeline.CallResponse;
import dev.llmix.providers.ProviderAdapters;
import dev.llmix.spi.CacheHitTier;
import dev.llmix.spi.DispatchContext;
import dev.llmix.spi.DispatchFunction;
import dev.llmix.spi.ProviderResult;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What routing by provider and an unused fallback chain add to {@code LlmixClient.call(module, preset, …)}: the
 * same 1 KB request as an L1 hit and as a no-op dispatch with caching disabled, once with a plain dispatch and no
 * chain ({@code plain}) and once through {@code ProviderAdapters.routing} with a two-alternative chain on the called
 * preset that the answering primary never uses ({@code routedWithChain}). docs/performance.md, section 3.3.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class FallbackRoutingBenchmark {

    /** A client over a pipeline, with or without routing and a chain. */
    @State(Scope.Benchmark)
    public static class Client {
        @Param({"plain", "routedWithChain"})
        public String setup;

        @Param({"memory", "disabled"})
        public String caching;

        BenchPipelines.Handle handle;
        LlmixClient client;
        final List<?> messages = BenchRequests.messages(BenchRequests.SMALL_BYTES);

        @Setup(Level.Trial)
        public void open() throws IOException {
            boolean routed = setup.equals("routedWithChain");
            boolean cached = caching.equals("memory");
            LlmConfig preset = BenchRequests.config(cached ? CachingStrategy.MEMORY : CachingStrategy.DISABLED);
            DispatchFunction dispatch = routed
                    ? ProviderAdapters.routing(Map.of(), Map.of(BenchRequests.PROVIDER, BenchPipelines.NO_OP,
                            "anthropic", BenchPipelines.NO_OP))
                    : BenchPipelines.NO_OP;
            handle = BenchPipelines.open(cached ? BenchPipelines.memoryCache() : null, dispatch);
            FallbackChains chains = routed ? FallbackChains.of(Map.of("chat/reply", List.of(
                    FallbackAlternative.of("anthropic", "claude-haiku-4-5"),
                    FallbackAlternative.of("openai", "gpt-4o")))) : FallbackChains.none();
            client = new LlmixClient(handle.pipeline(), (m, p) -> preset, chains);
            Checks.success(client.call("chat", "reply", messages));
            CallResponse second = Checks.success(client.call("chat", "reply", messages));
            Checks.tier(second, cached ? CacheHitTier.L1 : null);
            Checks.equal(second.attempts().size(), 0, "attempts of an answering primary");
        }

        @TearDown(Level.Trial)
        public void close() throws IOException {
            handle.close();
        }
    }

    @Benchmark
    public CallResponse call(Client state) {
        return state.client.call("chat", "reply", state.messages);
    }

    /**
     * The added steps on their own, in nanoseconds, which a loaded machine resolves better than the difference of
     * two whole calls: the chain look-up every {@code call(module, preset, …)} does, and a dispatch through the
     * provider router against the same dispatch called directly.
     */
    @State(Scope.Benchmark)
    public static class Steps {
        final FallbackChains chains = FallbackChains.of(Map.of("chat/reply", List.of(
                FallbackAlternative.of("anthropic", "claude-haiku-4-5"))));
        final DispatchFunction direct = BenchPipelines.NO_OP;
        final DispatchFunction routed = ProviderAdapters.routing(Map.of(),
                Map.of(BenchRequests.PROVIDER, BenchPipelines.NO_OP, "anthropic", BenchPipelines.NO_OP));
        final DispatchContext context = new DispatchContext(BenchRequests.PROVIDER, BenchRequests.MODEL,
                "sk-bench-0000000000000000", BenchRequests.messages(BenchRequests.SMALL_BYTES), Map.of(),
                BenchRequests.config(CachingStrategy.DISABLED));
    }

    @Benchmark
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    public @Nullable List<FallbackAlternative> chainLookup(Steps s) {
        return s.chains.find("chat", "reply");
    }

    @Benchmark
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    public CompletionStage<ProviderResult> dispatchDirect(Steps s) {
        return s.direct.dispatch(s.context);
    }

    @Benchmark
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    public CompletionStage<ProviderResult> dispatchRouted(Steps s) {
        return s.routed.dispatch(s.context);
    }
}
