package dev.llmix.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmix.cache.TwoTierCache;
import dev.llmix.config.CachingStrategy;
import dev.llmix.config.CommonParams;
import dev.llmix.config.LlmConfig;
import dev.llmix.config.TimeoutConfig;
import dev.llmix.keys.KeyPool;
import dev.llmix.spi.CallInput;
import dev.llmix.pipeline.CallPipeline;
import dev.llmix.pipeline.CallResponse;
import dev.llmix.spi.DispatchContext;
import dev.llmix.spi.DispatchFunction;
import dev.llmix.spi.LlmUsage;
import dev.llmix.pipeline.PipelineConfig;
import dev.llmix.pipeline.PipelineSnapshot;
import dev.llmix.spi.ProviderException;
import dev.llmix.spi.ProviderResult;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The soak (Maven profile {@code soak}, not in the default run): {@code soak.minutes} (default 10) of mixed traffic
 * from 48 callers ({@code call} and {@code callAsync}) over three providers of a simulated provider with random
 * latency, 429s with rate-limit and {@code Retry-After} headers, 5xx, network errors, 400s, dispatches that never
 * complete (call timeout), {@code <think>} blocks and tool calls, with a memory cache and repeated prompts
 * (singleflight and hits). Every 10 s the heap after a full GC and the live thread count are sampled; at the end both
 * must be flat, every call must have been answered, and no permit or shared execution may be left.
 */
class PipelineSoak {

    private static final int CALLERS = 48;
    private static final long SAMPLE_MS = 10_000;

    @TempDir
    Path stateDir;

    private final LongAdder issued = new LongAdder();
    private final LongAdder answered = new LongAdder();
    private final LongAdder succeeded = new LongAdder();
    private final LongAdder cacheHits = new LongAdder();
    private final LongAdder dispatches = new LongAdder();
    private final Map<String, LongAdder> failures = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> injected = new ConcurrentHashMap<>();
    private final long[] latencyBuckets = new long[64];

    @Test
    void mixedTrafficWithRandomFaultsKeepsHeapAndThreadsFlatAndAnswersEveryCall() throws Exception {
        double minutes = Double.parseDouble(System.getProperty("soak.minutes", "10"));
        long runMillis = (long) (minutes * 60_000);
        ScheduledExecutorService providerClock = Executors.newScheduledThreadPool(4, daemon("sim-provider"));
        TwoTierCache cache = TwoTierCache.builder().strategy(CachingStrategy.MEMORY).maxItems(1_000)
                .ttl(Duration.ofSeconds(30)).build();
        CallPipeline pipeline = new CallPipeline(PipelineConfig.builder()
                .maxRetries(2).retryBaseMs(10).retryMaxDelayMs(100).retryJitterMs(10).retryMaxRetryAfterMs(1_000)
                .circuitBreakerThreshold(5).circuitBreakerCooldown(Duration.ofSeconds(2)).permittedHalfOpenCalls(3)
                .semaphoreInitial(16).semaphoreMin(2)
                .responseCache(cache).stateDir(stateDir).env(name -> null).build(), simulated(providerClock));
        for (String p : List.of("openai", "deepinfra", "together")) {
            pipeline.setKeyPool(p, new KeyPool(List.of("sk-soak-" + p + "-1", "sk-soak-" + p + "-2",
                    "sk-soak-" + p + "-3")));
        }
        List<LlmConfig> presets = new ArrayList<>();
        for (String p : List.of("openai", "deepinfra", "together")) {
            LlmConfig base = LlmConfig.builder(p, "model-" + p).timeout(new TimeoutConfig(2, null)).build();
            presets.add(base);
            presets.add(base.toBuilder().caching(CachingStrategy.MEMORY).build());
            presets.add(base.toBuilder().common(CommonParams.builder().keepThinkingOutput(true).temperature(0.2)
                    .build()).caching(CachingStrategy.MEMORY).build());
        }

        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        List<long[]> samples = new ArrayList<>(); // {elapsed s, heap after GC bytes, live threads, answered}
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService callers = Executors.newFixedThreadPool(CALLERS, daemon("soak-caller"));
        List<CompletableFuture<?>> loops = new ArrayList<>();
        long start = System.nanoTime();
        for (int t = 0; t < CALLERS; t++) {
            boolean async = t % 2 == 1;
            loops.add(CompletableFuture.runAsync(() -> callLoop(pipeline, presets, async, stop), callers));
        }
        long nextSample = 0;
        while (true) {
            long elapsedMs = (System.nanoTime() - start) / 1_000_000;
            if (elapsedMs >= nextSample) {
                System.gc();
                samples.add(new long[] {elapsedMs / 1000, memory.getHeapMemoryUsage().getUsed(),
                        threads.getThreadCount(), answered.sum()});
                long[] s = samples.get(samples.size() - 1);
                System.out.printf("[soak] t=%4ds heap=%6.1f MB threads=%3d answered=%d%n", s[0], s[1] / 1048576.0,
                        s[2], s[3]);
                nextSample += SAMPLE_MS;
            }
            if (elapsedMs >= runMillis) {
                break;
            }
            TimeUnit.MILLISECONDS.sleep(Math.min(250, runMillis - elapsedMs + 1));
        }
        stop.set(true);
        CompletableFuture.allOf(loops.toArray(new CompletableFuture<?>[0])).get(60, TimeUnit.SECONDS);
        long wallMs = (System.nanoTime() - start) / 1_000_000;
        PipelineFaultInjectionTest.assertNoResourcesHeld(pipeline);
        PipelineSnapshot snap = pipeline.snapshot();
        pipeline.close();
        callers.shutdown();
        providerClock.shutdownNow();

        String report = report(minutes, wallMs, samples, snap);
        System.out.println(report);
        Files.writeString(Path.of("target", "soak-report.txt"), report, StandardCharsets.UTF_8);

        assertThat(answered.sum()).as("every call answered").isEqualTo(issued.sum());
        assertThat(succeeded.sum()).isPositive();
        assertThat(failures.keySet()).as("failure kinds").allMatch(PipelineSoak::expectedFailure);
        // Flat: after the first third (warm-up), the largest sample may not exceed the first steady one by much.
        List<long[]> steady = samples.subList(Math.max(1, samples.size() / 3), samples.size());
        if (steady.size() >= 3) {
            long heapFirst = steady.get(0)[1];
            long heapMax = steady.stream().mapToLong(s -> s[1]).max().orElseThrow();
            long heapLast = steady.get(steady.size() - 1)[1];
            assertThat(heapLast).as("heap after GC at the end vs. the start of the steady state")
                    .isLessThan(heapFirst + Math.max(heapFirst / 2, 32L << 20));
            assertThat(heapMax).isLessThan(heapFirst * 2 + (64L << 20));
            long threadsMin = steady.stream().mapToLong(s -> s[2]).min().orElseThrow();
            long threadsMax = steady.stream().mapToLong(s -> s[2]).max().orElseThrow();
            assertThat(threadsMax - threadsMin).as("live threads in the steady state").isLessThanOrEqualTo(64);
            assertThat(steady.get(steady.size() - 1)[2]).isLessThanOrEqualTo(steady.get(0)[2] + 32);
        }
    }

    private void callLoop(CallPipeline pipeline, List<LlmConfig> presets, boolean async, AtomicBoolean stop) {
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        while (!stop.get()) {
            LlmConfig preset = presets.get(rnd.nextInt(presets.size()));
            // 3,000 distinct prompts: repeats give cache hits and shared executions.
            List<Map<String, Object>> messages = List.of(Map.of("role", "user", "content",
                    "prompt " + rnd.nextInt(3_000)));
            CallInput in = CallInput.of(preset, messages);
            issued.increment();
            long t0 = System.nanoTime();
            CallResponse r;
            try {
                r = async ? pipeline.callAsync(in).get(30, TimeUnit.SECONDS) : pipeline.call(in);
            } catch (Exception e) {
                failures.computeIfAbsent("UNANSWERED " + e, k -> new LongAdder()).increment();
                continue;
            }
            long micros = (System.nanoTime() - t0) / 1000;
            synchronized (latencyBuckets) {
                latencyBuckets[Math.min(63, 64 - Long.numberOfLeadingZeros(Math.max(1, micros)))]++;
            }
            answered.increment();
            if (r.success()) {
                succeeded.increment();
                if (r.cacheHit() != null) {
                    cacheHits.increment();
                }
                if (r.content().contains("<think>") && !preset.commonOrEmpty().keepsThinkingOutput()) {
                    failures.computeIfAbsent("THINK NOT STRIPPED", k -> new LongAdder()).increment();
                }
            } else {
                failures.computeIfAbsent(kind(r.error()), k -> new LongAdder()).increment();
            }
            if (rnd.nextInt(4) == 0) {
                try {
                    TimeUnit.MILLISECONDS.sleep(rnd.nextInt(3));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** The simulated provider: random latency and faults, completed on a small scheduler (no thread per call). */
    private DispatchFunction simulated(ScheduledExecutorService clock) {
        return (DispatchContext ctx) -> {
            dispatches.increment();
            ThreadLocalRandom rnd = ThreadLocalRandom.current();
            int roll = rnd.nextInt(1000);
            long latency = rnd.nextInt(100) < 95 ? 1 + rnd.nextInt(30) : 100 + rnd.nextInt(400);
            CompletableFuture<ProviderResult> out = new CompletableFuture<>();
            Runnable answer;
            if (roll < 50) {
                count("429 + headers");
                answer = () -> out.completeExceptionally(new ProviderException("rate limited", 429, Map.of(
                        "retry-after", rnd.nextBoolean() ? "0" : "1", "x-ratelimit-remaining-requests", "0",
                        "x-ratelimit-limit-requests", "60")));
            } else if (roll < 80) {
                count("5xx");
                int status = List.of(500, 502, 503, 504).get(rnd.nextInt(4));
                answer = () -> out.completeExceptionally(ProviderException.ofStatus(status, "upstream " + status));
            } else if (roll < 100) {
                count("network error");
                answer = () -> out.completeExceptionally(ProviderException.network("connection reset", null));
            } else if (roll < 110) {
                count("400");
                answer = () -> out.completeExceptionally(ProviderException.ofStatus(400, "bad request"));
            } else if (roll < 113) {
                count("never completes");
                return out; // the call's 2 s budget abandons it
            } else if (roll < 115) {
                count("synchronous throw");
                throw ProviderException.network("socket closed", null);
            } else {
                String text = "answer to " + ((Map<?, ?>) ctx.messages().get(0)).get("content");
                if (roll < 315) {
                    count("<think> block");
                    text = "<think>pondering " + rnd.nextInt() + "</think>" + text;
                }
                List<Object> tools = null;
                if (roll >= 315 && roll < 335) {
                    count("tool calls");
                    tools = List.of(Map.of("id", "call_1", "type", "function"));
                }
                Map<String, String> headers = roll % 3 == 0
                        ? Map.of("x-ratelimit-remaining-requests", String.valueOf(rnd.nextInt(60)),
                                "x-ratelimit-limit-requests", "60")
                        : null;
                ProviderResult result = new ProviderResult(text, ctx.model(), LlmUsage.of(5, 7, 12), headers, tools);
                answer = () -> out.complete(result);
            }
            clock.schedule(answer, latency, TimeUnit.MILLISECONDS);
            return out;
        };
    }

    private void count(String what) {
        injected.computeIfAbsent(what, k -> new LongAdder()).increment();
    }

    private static String kind(String error) {
        if (error == null) {
            return "null error";
        }
        if (error.startsWith("Circuit breaker OPEN")) {
            return "Circuit breaker OPEN";
        }
        if (error.startsWith("LLM call timed out")) {
            return "LLM call timed out";
        }
        return error.replaceAll("[0-9]+", "N");
    }

    private static boolean expectedFailure(String kind) {
        return kind.equals("Circuit breaker OPEN") || kind.equals("LLM call timed out")
                || kind.equals("rate limited") || kind.startsWith("upstream N") || kind.equals("connection reset")
                || kind.equals("socket closed") || kind.equals("bad request");
    }

    private String report(double minutes, long wallMs, List<long[]> samples, PipelineSnapshot snap) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("Soak: %.1f min requested, %.1f s wall, %d callers (half call(), half callAsync())%n",
                minutes, wallMs / 1000.0, CALLERS));
        sb.append(String.format("calls issued %d, answered %d, succeeded %d (%.1f%%), cache hits %d, "
                + "dispatches %d, throughput %.0f calls/s%n", issued.sum(), answered.sum(), succeeded.sum(),
                100.0 * succeeded.sum() / Math.max(1, answered.sum()), cacheHits.sum(), dispatches.sum(),
                answered.sum() * 1000.0 / wallMs));
        sb.append("injected faults: ").append(sorted(injected)).append('\n');
        sb.append("failed calls by kind: ").append(sorted(failures)).append('\n');
        sb.append(String.format("latency p50 <= %s, p99 <= %s, p99.9 <= %s%n", percentile(0.5), percentile(0.99),
                percentile(0.999)));
        sb.append("end state: breakers ").append(snap.circuitBreakers().values().stream()
                .map(b -> b.provider() + "=" + b.state()).toList())
                .append(", windows ").append(snap.semaphores().values().stream()
                .map(s -> s.provider() + "=" + s.window()).toList())
                .append(", key pools ").append(snap.keyPools().values()).append('\n');
        sb.append("samples (t s, heap after GC MB, live threads, answered):\n");
        for (long[] s : samples) {
            sb.append(String.format("  %4d  %6.1f  %3d  %d%n", s[0], s[1] / 1048576.0, s[2], s[3]));
        }
        return sb.toString();
    }

    private String percentile(double q) {
        long[] b;
        synchronized (latencyBuckets) {
            b = Arrays.copyOf(latencyBuckets, latencyBuckets.length);
        }
        long total = Arrays.stream(b).sum();
        long seen = 0;
        for (int i = 0; i < b.length; i++) {
            seen += b[i];
            if (seen >= q * total) {
                long micros = 1L << i;
                return micros >= 1000 ? (micros / 1000) + " ms" : micros + " µs";
            }
        }
        return "?";
    }

    private static Map<String, Long> sorted(Map<String, LongAdder> m) {
        Map<String, Long> out = new java.util.TreeMap<>();
        m.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        AtomicLong n = new AtomicLong();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
