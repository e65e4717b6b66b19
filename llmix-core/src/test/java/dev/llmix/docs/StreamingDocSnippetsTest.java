package dev.llmix.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmix.client.LlmixClient;
import dev.llmix.config.LlmConfig;
import dev.llmix.keys.KeyPool;
import dev.llmix.pipeline.CallChunk;
import dev.llmix.spi.CallInput;
import dev.llmix.pipeline.CallPipeline;
import dev.llmix.pipeline.CallResponse;
import dev.llmix.spi.DispatchContext;
import dev.llmix.spi.LlmUsage;
import dev.llmix.pipeline.PipelineConfig;
import dev.llmix.spi.ProviderResult;
import dev.llmix.spi.ProviderStreamEvent;
import dev.llmix.spi.ProviderStreams;
import dev.llmix.spi.StreamingDispatchFunction;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Flow;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Compiled copies of the snippets in docs/streaming.md, run against a simulated streaming dispatch. */
class StreamingDocSnippetsTest {

    @TempDir
    Path stateDir;

    /** docs/streaming.md, "A streaming dispatch of your own". */
    static final class EchoStreams implements StreamingDispatchFunction {
        @Override
        public Flow.Publisher<ProviderStreamEvent> dispatchStream(DispatchContext ctx) {
            return ProviderStreams.of(
                    new ProviderStreamEvent.Opened(Map.of()),
                    new ProviderStreamEvent.TextDelta("<think>plan</think>Hel"),
                    new ProviderStreamEvent.TextDelta("lo"),
                    new ProviderStreamEvent.Usage(LlmUsage.of(3, 2, 5)));
        }
    }

    private CallPipeline pipeline() {
        PipelineConfig config = PipelineConfig.builder()
                .stateDir(stateDir)
                .env(name -> null)
                .streamingDispatch(new EchoStreams())
                .build();
        CallPipeline pipeline = new CallPipeline(config,
                ctx -> CompletableFuture.completedFuture(ProviderResult.of("unused", ctx.model(), LlmUsage.ZERO)));
        pipeline.setKeyPool("openai", new KeyPool(List.of("sk-test")));
        return pipeline;
    }

    /** docs/streaming.md, "Subscribing". */
    static void printAsItArrives(CallPipeline pipeline, LlmConfig preset, StringBuilder out,
            CountDownLatch ended) {
        CallInput input = CallInput.of(preset, List.of(Map.of("role", "user", "content", "Say hello")));
        pipeline.stream(input).subscribe(new Flow.Subscriber<CallChunk>() {
            private Flow.Subscription subscription;

            @Override
            public void onSubscribe(Flow.Subscription s) {
                subscription = s;
                s.request(1);
            }

            @Override
            public void onNext(CallChunk chunk) {
                if (chunk.done()) {
                    CallResponse r = chunk.response();
                    out.append(r.success() ? "\n[done: " + r.content() + "]" : "\n[failed: " + r.error() + "]");
                } else {
                    out.append(chunk.contentDelta());
                }
                subscription.request(1);
            }

            @Override
            public void onError(Throwable t) {
                ended.countDown();
            }

            @Override
            public void onComplete() {
                ended.countDown();
            }
        });
    }

    /** docs/streaming.md, "Blocking iteration". */
    static String collect(LlmixClient client, LlmConfig preset) {
        StringBuilder text = new StringBuilder();
        try (Stream<CallChunk> chunks = client.streamBlocking(preset,
                List.of(Map.of("role", "user", "content", "Say hello")))) {
            chunks.forEach(chunk -> {
                if (!chunk.done()) {
                    text.append(chunk.contentDelta());
                } else if (chunk.isFailure()) {
                    text.append(" [").append(chunk.response().error()).append(']');
                }
            });
        }
        return text.toString();
    }

    @Test
    void theSubscriberSnippetPrintsDeltasThenDone() throws Exception {
        try (CallPipeline pipeline = pipeline()) {
            StringBuilder out = new StringBuilder();
            CountDownLatch ended = new CountDownLatch(1);
            printAsItArrives(pipeline, LlmConfig.builder("openai", "gpt-4").build(), out, ended);
            ended.await();
            assertThat(out.toString()).isEqualTo("Hello\n[done: Hello]");
        }
    }

    @Test
    void theBlockingSnippetCollectsTheText() {
        try (CallPipeline pipeline = pipeline()) {
            LlmixClient client = new LlmixClient(pipeline, (module, preset) -> {
                throw new IllegalArgumentException("no presets here");
            });
            assertThat(collect(client, LlmConfig.builder("openai", "gpt-4").build())).isEqualTo("Hello");
        }
    }

    static CompletionStage<ProviderResult> unused() {
        return CompletableFuture.failedFuture(new AssertionError());
    }
}
