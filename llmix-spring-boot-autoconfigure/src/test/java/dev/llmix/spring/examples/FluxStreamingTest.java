package dev.llmix.spring.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmix.config.LlmConfig;
import dev.llmix.keys.KeyPool;
import dev.llmix.pipeline.CallChunk;
import dev.llmix.spi.CallInput;
import dev.llmix.pipeline.CallPipeline;
import dev.llmix.spi.LlmUsage;
import dev.llmix.pipeline.PipelineConfig;
import dev.llmix.spi.ProviderResult;
import dev.llmix.spi.ProviderStreamEvent;
import dev.llmix.spi.StreamingDispatchFunction;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reactivestreams.Subscription;
import reactor.adapter.JdkFlowAdapter;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Flux;

/**
 * The Reactor example of docs/streaming.md: {@code JdkFlowAdapter.flowPublisherToFlux} over {@code stream(...)},
 * with Flux demand reaching the provider and {@code take} cancelling it.
 */
class FluxStreamingTest {

    @TempDir
    Path stateDir;

    private CallPipeline pipeline;
    private final AtomicLong providerDemand = new AtomicLong();
    private final AtomicInteger providerCancels = new AtomicInteger();

    @AfterEach
    void close() {
        if (pipeline != null) {
            pipeline.close();
        }
    }

    /** A provider with endless text deltas, emitted only as requested. */
    private StreamingDispatchFunction endless() {
        return ctx -> subscriber -> subscriber.onSubscribe(new Flow.Subscription() {
            private boolean opened;
            private int n;

            @Override
            public void request(long k) {
                providerDemand.addAndGet(k);
                for (long i = 0; i < Math.min(k, 10_000); i++) {
                    if (!opened) {
                        opened = true;
                        subscriber.onNext(new ProviderStreamEvent.Opened(Map.of()));
                    } else {
                        subscriber.onNext(new ProviderStreamEvent.TextDelta("w" + n++ + " "));
                    }
                }
            }

            @Override
            public void cancel() {
                providerCancels.incrementAndGet();
            }
        });
    }

    private Flux<CallChunk> flux() {
        pipeline = new CallPipeline(PipelineConfig.builder().stateDir(stateDir).env(n -> null).maxRetries(0)
                .streamBufferChunks(4).streamingDispatch(endless()).build(),
                ctx -> CompletableFuture.completedFuture(ProviderResult.of("unused", "gpt-4", LlmUsage.ZERO)));
        pipeline.setKeyPool("openai", new KeyPool(List.of("sk-test")));
        CallInput input = CallInput.of(LlmConfig.builder("openai", "gpt-4").build(),
                List.of(Map.of("role", "user", "content", "hi")));
        return JdkFlowAdapter.flowPublisherToFlux(pipeline.stream(input));
    }

    @Test
    void eachRequestDeliversOneChunkAndProviderDemandStaysBounded() throws Exception {
        List<CallChunk> seen = new CopyOnWriteArrayList<>();
        BaseSubscriber<CallChunk> subscriber = new BaseSubscriber<>() {
            @Override
            protected void hookOnSubscribe(Subscription subscription) {
                // no request yet
            }

            @Override
            protected void hookOnNext(CallChunk value) {
                seen.add(value);
            }
        };
        flux().subscribe(subscriber);
        assertThat(seen).isEmpty();
        for (int i = 1; i <= 3; i++) {
            subscriber.request(1);
            assertThat(seen).hasSize(i);
        }
        // Three chunks taken and a buffer of four: the provider was never asked for more than that plus Opened.
        assertThat(providerDemand.get()).isLessThanOrEqualTo(3 + 4 + 1);
        subscriber.dispose();
        assertThat(providerCancels.get()).isEqualTo(1);
        assertThat(pipeline.streamsInFlight()).isZero();
    }

    @Test
    void takeCancelsTheProviderStreamAndReleasesThePermit() {
        List<CallChunk> two = flux().take(2).collectList().block(Duration.ofSeconds(10));
        assertThat(two).hasSize(2).noneMatch(CallChunk::done);
        assertThat(providerCancels.get()).isEqualTo(1);
        assertThat(pipeline.snapshot().semaphores().get("openai").inFlight()).isZero();
        assertThat(pipeline.streamsInFlight()).isZero();
    }
}
