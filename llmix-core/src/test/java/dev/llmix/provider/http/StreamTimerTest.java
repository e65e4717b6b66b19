package dev.llmix.provider.http;

import static dev.llmix.provider.http.AdapterTestSupport.options;
import static dev.llmix.testsupport.SseResponses.data;
import static dev.llmix.testsupport.SseResponses.sse;
import static org.assertj.core.api.Assertions.assertThat;

import dev.llmix.config.LlmConfig;
import dev.llmix.config.TimeoutConfig;
import dev.llmix.keys.KeyPool;
import dev.llmix.pipeline.CallPipeline;
import dev.llmix.pipeline.CallResponse;
import dev.llmix.pipeline.PipelineConfig;
import dev.llmix.providers.ProviderAdapters;
import dev.llmix.spi.CallInput;
import dev.llmix.testsupport.RecordingChunkSubscriber;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.List;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A finished stream leaves no timer behind: its whole-stream bound is removed from the JDK's delay queue when the
 * stream ends, instead of firing later (and, on a 2-CPU machine, starting a thread to find itself cancelled).
 */
class StreamTimerTest {

    private static final int STREAMS = 60;

    @TempDir
    Path stateDir;

    private final MockWebServer server = new MockWebServer();

    @BeforeEach
    void start() throws Exception {
        server.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void finishedStreamsLeaveNoTimerToFireAfterTheirRequestTimeout() throws Exception {
        for (int i = 0; i < STREAMS; i++) {
            server.enqueue(sse(data("{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"hi\"}}]}"), data("[DONE]")));
        }
        LlmConfig preset = LlmConfig.builder("openai", "gpt-4").baseUrl(AdapterTestSupport.base(server, "/v1"))
                .timeout(new TimeoutConfig(0.5, null)).build();
        try (CallPipeline p = new CallPipeline(PipelineConfig.builder().stateDir(stateDir).env(name -> null).build(),
                ProviderAdapters.routing(options().build()))) {
            p.setKeyPool("openai", new KeyPool(List.of("test-key")));
            // One stream without the short bound first: class loading on a busy machine can take longer than 0.5 s.
            server.enqueue(sse(data("{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"hi\"}}]}"), data("[DONE]")));
            RecordingChunkSubscriber warmUp = new RecordingChunkSubscriber();
            p.stream(CallInput.of(LlmConfig.builder("openai", "gpt-4").baseUrl(AdapterTestSupport.base(server, "/v1"))
                    .build(), AdapterTestSupport.HELLO)).subscribe(warmUp);
            assertThat(warmUp.awaitDone().success()).isTrue();
            for (int i = 0; i < STREAMS; i++) {
                RecordingChunkSubscriber s = new RecordingChunkSubscriber();
                p.stream(CallInput.of(preset, AdapterTestSupport.HELLO)).subscribe(s);
                CallResponse done = s.awaitDone();
                assertThat(done.success()).as(String.valueOf(done.error())).isTrue();
            }
            long before = ManagementFactory.getThreadMXBean().getTotalStartedThreadCount();
            // Past every stream's 0.5 s bound: a timer still queued would fire now.
            Thread.sleep(1_500);
            long started = ManagementFactory.getThreadMXBean().getTotalStartedThreadCount() - before;

            assertThat(started).as("threads started after the streams ended").isLessThan(STREAMS / 2);
        }
    }
}
