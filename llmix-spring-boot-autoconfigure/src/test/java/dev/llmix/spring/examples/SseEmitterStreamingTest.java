package dev.llmix.spring.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.asyncDispatch;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.request;

import dev.llmix.client.LlmixClient;
import dev.llmix.config.LlmConfig;
import dev.llmix.keys.KeyPool;
import dev.llmix.pipeline.CallPipeline;
import dev.llmix.spi.LlmUsage;
import dev.llmix.pipeline.PipelineConfig;
import dev.llmix.spi.ProviderResult;
import dev.llmix.spi.ProviderStreamEvent;
import dev.llmix.spi.ProviderStreams;
import dev.llmix.spi.StreamingDispatchFunction;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockAsyncContext;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;

/** The SseEmitter pattern of docs/streaming.md through MockMvc: named events, then a client that goes away. */
class SseEmitterStreamingTest {

    private static final LlmConfig PRESET = LlmConfig.builder("openai", "gpt-4").build();

    @TempDir
    Path stateDir;

    private final ExecutorService executor = Executors.newCachedThreadPool();
    private CallPipeline pipeline;

    @AfterEach
    void close() {
        executor.shutdownNow();
        if (pipeline != null) {
            pipeline.close();
        }
    }

    private MockMvc mvc(StreamingDispatchFunction streams) {
        pipeline = new CallPipeline(PipelineConfig.builder().stateDir(stateDir).env(n -> null).maxRetries(0)
                .streamingDispatch(streams).build(),
                ctx -> CompletableFuture.completedFuture(ProviderResult.of("unused", "gpt-4", LlmUsage.ZERO)));
        pipeline.setKeyPool("openai", new KeyPool(List.of("sk-test")));
        LlmixClient client = new LlmixClient(pipeline, (m, p) -> PRESET);
        return MockMvcBuilders.standaloneSetup(new SseEmitterStreaming(client, PRESET, executor)).build();
    }

    @Test
    void chunksArriveAsNamedEventsThenDone() throws Exception {
        MockMvc mvc = mvc(ctx -> ProviderStreams.of(new ProviderStreamEvent.Opened(Map.of()),
                new ProviderStreamEvent.TextDelta("<thi"), new ProviderStreamEvent.TextDelta("nk>t</think>Hel"),
                new ProviderStreamEvent.TextDelta("lo")));
        MvcResult started = mvc.perform(post("/chat/stream").contentType(MediaType.APPLICATION_JSON)
                        .content("{\"message\":\"hi\"}"))
                .andExpect(request().asyncStarted())
                .andReturn();
        started.getAsyncResult(10_000);
        MvcResult result = mvc.perform(asyncDispatch(started)).andReturn();
        String body = result.getResponse().getContentAsString();
        assertThat(result.getResponse().getContentType()).startsWith(MediaType.TEXT_EVENT_STREAM_VALUE);
        assertThat(body).contains("event:chunk\ndata:{\"content\":\"Hel\",\"thinking\":\"t\"}")
                .contains("event:chunk\ndata:{\"content\":\"lo\"}")
                .contains("event:done\ndata:{\"content\":\"Hello\"")
                .doesNotContain("<think>");
        assertThat(body.indexOf("event:done")).isGreaterThan(body.lastIndexOf("event:chunk"));
    }

    @Test
    void aClientThatGoesAwayCancelsTheProviderStream() throws Exception {
        AtomicInteger cancels = new AtomicInteger();
        StreamingDispatchFunction hanging = ctx -> subscriber -> subscriber.onSubscribe(new Flow.Subscription() {
            private boolean opened;

            @Override
            public void request(long n) {
                if (!opened) {
                    opened = true;
                    subscriber.onNext(new ProviderStreamEvent.Opened(Map.of()));
                    subscriber.onNext(new ProviderStreamEvent.TextDelta("partial"));
                }
            }

            @Override
            public void cancel() {
                cancels.incrementAndGet();
            }
        });
        MockMvc mvc = mvc(hanging);
        MvcResult started = mvc.perform(post("/chat/stream").contentType(MediaType.APPLICATION_JSON)
                        .content("{\"message\":\"hi\"}"))
                .andExpect(request().asyncStarted())
                .andReturn();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!started.getResponse().getContentAsString().contains("partial") && System.nanoTime() < end) {
            Thread.sleep(5);
        }
        MockAsyncContext async = (MockAsyncContext) started.getRequest().getAsyncContext();
        for (AsyncListener listener : async.getListeners()) {
            listener.onError(new AsyncEvent(async, new IOException("client gone")));
        }
        while (cancels.get() == 0 && System.nanoTime() < end) {
            Thread.sleep(5);
        }
        assertThat(cancels.get()).isEqualTo(1);
        assertThat(pipeline.streamsInFlight()).isZero();
    }
}
