package dev.llmix.pipeline.scale;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.management.UnixOperatingSystemMXBean;
import dev.llmix.config.CachingStrategy;
import dev.llmix.config.LlmConfig;
import dev.llmix.config.TimeoutConfig;
import dev.llmix.keys.KeyPool;
import dev.llmix.pipeline.CallPipeline;
import dev.llmix.pipeline.CallResponse;
import dev.llmix.provider.http.AdapterOptions;
import dev.llmix.providers.ProviderAdapters;
import dev.llmix.spi.CallInput;
import dev.llmix.testsupport.PipelineFixtures;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 10 000 concurrent {@code callAsync} calls on one machine without a thread per call (docs/performance.md, "Calls in
 * flight on one machine"): the OpenAI-compatible adapter over HTTP/1.1 to a fake provider in its own JVM that holds
 * every request 1 s. Outside the default suite (tag {@code scale}); run it with
 * {@code mvn -B -ntp -o -pl llmix-core -am verify -Pscale}, which also gives the test JVM {@code -Xmx1g}.
 */
@Tag("scale")
class ScaleTest {

    private static final int CALLS = 10_000;
    private static final long MB = 1024 * 1024;

    @TempDir
    Path stateDir;

    @Test
    void tenThousandCallsInFlightCompleteWithinThirtySecondsOnFewThreadsAndLittleHeap() throws Exception {
        requireOpenFiles();
        assertThat(java.util.concurrent.ForkJoinPool.getCommonPoolParallelism())
                .as("common ForkJoinPool parallelism: with 1 the JDK HttpClient starts a thread per completed request;"
                        + " run with -Djava.util.concurrent.ForkJoinPool.common.parallelism=2 (the scale profile does)")
                .isGreaterThan(1);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process provider = new ProviderProcess(java).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(provider.getInputStream(),
                StandardCharsets.US_ASCII)); OutputStream gate = provider.getOutputStream()) {
            String ready = out.readLine();
            assertThat(ready).as("fake provider start line").startsWith("READY port=");
            int port = Integer.parseInt(ready.substring("READY port=".length()));

            CallPipeline pipeline = new CallPipeline(PipelineFixtures.deterministic(stateDir)
                    .semaphoreInitial(CALLS)
                    .build(), ProviderAdapters.routing(AdapterOptions.builder().env(name -> null).build()));
            try {
                pipeline.setKeyPool("openai", new KeyPool(List.of("sk-scale-test")));
                LlmConfig config = LlmConfig.builder("openai", "gpt-4o-mini")
                        .baseUrl("http://127.0.0.1:" + port + "/v1")
                        .caching(CachingStrategy.DISABLED)
                        .timeout(new TimeoutConfig(60, null))
                        .build();

                ThreadMXBean threads = ManagementFactory.getThreadMXBean();
                long heapBefore = usedHeapAfterFullGc();
                int threadsBefore = threads.getThreadCount();
                threads.resetPeakThreadCount();
                long start = System.nanoTime();

                List<CompletableFuture<CallResponse>> calls = new ArrayList<>(CALLS);
                java.util.Set<String> seen = new java.util.TreeSet<>();
                for (int i = 0; i < CALLS; i++) {
                    calls.add(pipeline.callAsync(CallInput.of(config,
                            List.of(Map.of("role", "user", "content", "scale request " + i)))));
                    if (i % 250 == 0) {
                        seen.addAll(threadNames().keySet());
                    }
                }
                long submittedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                String held = out.readLine();
                long heldMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                String threadsWhileHeld = threadNames().toString();
                long heapHeld = usedHeapAfterFullGc();
                long measuredMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                gate.write('\n');
                gate.flush();

                CompletableFuture<Void> all = CompletableFuture.allOf(calls.toArray(new CompletableFuture<?>[0]));
                while (!all.isDone()) {
                    seen.addAll(threadNames().keySet());
                    try {
                        all.get(200, TimeUnit.MILLISECONDS);
                    } catch (java.util.concurrent.TimeoutException stillRunning) {
                        // sample the thread names again
                    }
                }
                // The provider held every request while this test measured the heap: that pause is not the calls'.
                long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) - (measuredMs - heldMs);
                int peakThreads = threads.getPeakThreadCount();
                long failed = calls.stream().map(CompletableFuture::join).filter(r -> !r.success()).count();
                String firstError = calls.stream().map(CompletableFuture::join).filter(r -> !r.success())
                        .map(CallResponse::error).findFirst().orElse("none");
                long growthMb = (heapHeld - heapBefore) / MB;
                System.out.printf("ScaleTest: %d calls in %d ms without the measurement pause (submitted at %d ms, all held at %d ms, heap measured at"
                                + " %d ms); live threads %d before, peak %d; used heap after full GC %d MB before, %d MB"
                                + " with all requests held (growth %d MB); provider said '%s'; threads while held: %s; names seen: %s%n",
                        CALLS, elapsedMs, submittedMs, heldMs, measuredMs, threadsBefore, peakThreads, heapBefore / MB,
                        heapHeld / MB, growthMb, held, threadsWhileHeld, seen);

                assertThat(held).as("every request held by the provider at once").isEqualTo("HELD " + CALLS);
                assertThat(failed).as("failed calls (first error: %s)", firstError).isZero();
                assertThat(elapsedMs).as("all calls done (ms)").isLessThanOrEqualTo(30_000);
                assertThat(peakThreads).as("peak live platform threads").isLessThanOrEqualTo(64);
                assertThat(growthMb).as("live-heap growth (MB) with every request in flight").isLessThanOrEqualTo(256);
            } finally {
                pipeline.close();
            }
        } finally {
            provider.destroy();
            provider.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** Each call holds one socket: the process needs well over 10 000 file descriptors. */
    private static void requireOpenFiles() {
        long required = Long.getLong("llmix.scale.min-open-files", 32_768);
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof UnixOperatingSystemMXBean) {
            long limit = ((UnixOperatingSystemMXBean) os).getMaxFileDescriptorCount();
            assertThat(limit).as("open-files limit of this process (ulimit -n); ScaleTest needs at least %d",
                    required).isGreaterThanOrEqualTo(required);
        }
    }

    private static Map<String, Integer> threadNames() {
        Map<String, Integer> byPrefix = new java.util.TreeMap<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            byPrefix.merge(t.getName().replaceAll("[-#]?\\d+$", ""), 1, Integer::sum);
        }
        return byPrefix;
    }

    private static long usedHeapAfterFullGc() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** The fake provider's command line: its own small JVM, holding each request 1 s, gated at {@link #CALLS}. */
    private static final class ProviderProcess {
        private final String java;

        ProviderProcess(String java) {
            this.java = java;
        }

        Process start() throws java.io.IOException {
            return new ProcessBuilder(java, "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                    SlowProviderMain.class.getName(), "1000", Integer.toString(CALLS), "90000")
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
        }
    }
}
