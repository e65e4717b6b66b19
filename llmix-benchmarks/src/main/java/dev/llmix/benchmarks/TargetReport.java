package dev.llmix.benchmarks;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns a JMH JSON result file ({@code -rf json}) into the Markdown tables of {@code docs/performance.md}: every
 * result, then each performance target with its measured value and a verdict. Run it with
 * {@code java -cp llmix-benchmarks/target/benchmarks.jar dev.llmix.benchmarks.TargetReport jmh-result.json}.
 */
public final class TargetReport {

    private static final String PKG = "dev.llmix.benchmarks.";

    private final Map<String, JsonNode> results = new LinkedHashMap<>();
    private final boolean median;

    private TargetReport(JsonNode root, boolean median) {
        this.median = median;
        for (JsonNode result : root) {
            results.put(shortName(result), result);
        }
    }

    /**
     * Prints the report of the result file named by the first argument (default {@code jmh-result.json}). With
     * {@code --median}, targets are judged by the median instead of the mean: of the individual operations in a
     * {@code -bm sample} run, of the iterations otherwise. On a shared machine the mean mostly measures the time
     * slices lost to other processes.
     */
    public static void main(String[] args) throws IOException {
        List<String> rest = new ArrayList<>(List.of(args));
        boolean median = rest.remove("--median");
        Path file = Path.of(rest.isEmpty() ? "jmh-result.json" : rest.get(0));
        JsonNode root = JsonMapper.builder().build().readTree(Files.readString(file, StandardCharsets.UTF_8));
        new TargetReport(root, median).print(System.out);
    }

    private void print(PrintStream out) {
        out.println("| target | benchmark | measured | limit | verdict |");
        out.println("| --- | --- | ---: | ---: | --- |");
        atMost(out, "Cache key, 1 KB request", "CacheKeyBenchmark.generate1k", "us/op", 1.5);
        atMost(out, "Cache key, 16 KB request", "CacheKeyBenchmark.generate16k", "us/op", 15);
        atMost(out, "L1 hit via `CallPipeline.call`, 1 KB, 1 thread", "PipelineBenchmark.l1Hit", "us/op", 3);
        atLeast(out, "L1 hit via `CallPipeline.call`, 1 KB, 2 threads", "PipelineBenchmark.l1HitTwoThreads",
                "ops/s", 500_000);
        allocation(out, "Allocation per L1 hit", "PipelineBenchmark.l1Hit", 4096);
        atMost(out, "No-op dispatch, caching disabled", "PipelineBenchmark.noOpDispatchCacheDisabled", "us/op", 10);
        allocation(out, "Allocation per no-op dispatch (reported, no limit)",
                "PipelineBenchmark.noOpDispatchCacheDisabled", Double.NaN);
        ratio(out, "L2 hit vs raw Redis GET, same run", "RedisL2Benchmark.l2Hit", "RedisL2Benchmark.rawGet", 1.3);
        atMost(out, "Singleflight, 1,000 blocking callers, 50 ms dispatch", "SingleflightBenchmark.thousandBlockingCallers",
                "ms/op", 80);
        dispatches(out, "Singleflight dispatches per burst (blocking callers)",
                "SingleflightBenchmark.thousandBlockingCallers");
        atMost(out, "Singleflight, 1,000 `callAsync` calls, 50 ms dispatch", "SingleflightBenchmark.thousandAsyncCalls",
                "ms/op", 80);
        dispatches(out, "Singleflight dispatches per burst (async calls)", "SingleflightBenchmark.thousandAsyncCalls");
        reported(out, "Miss + write, L1 churn at 1000 items", "PipelineBenchmark.missAndWrite", "us/op");
        reported(out, "AIMD acquire + release, uncontended", "AdaptiveSemaphoreBenchmark.acquireReleaseUncontended",
                "ns/op");
        reported(out, "AIMD acquire + release, 2 threads, window 32",
                "AdaptiveSemaphoreBenchmark.acquireReleaseContended", "ns/op");
        reported(out, "AIMD acquire + release, 4 threads, window 2",
                "AdaptiveSemaphoreBenchmark.acquireReleaseSaturated", "ns/op");
        difference(out, "Streaming: added time per chunk", "StreamingBenchmark.pipelineStream",
                "StreamingBenchmark.rawJdkClient", StreamingBenchmark.N, 1.0);
        difference(out, "Streaming: added median time to first chunk", "StreamingBenchmark.firstChunkPipeline",
                "StreamingBenchmark.firstChunkRaw", 1, 50.0);
        allocationDifference(out, "Streaming: added allocation per chunk", "StreamingBenchmark.pipelineStream",
                "StreamingBenchmark.rawJdkClient", StreamingBenchmark.N, 512);
        springAiBridge(out);

        out.println();
        out.println("| benchmark | mode | threads | score | error (99.9 %) | median | unit | alloc B/op |");
        out.println("| --- | --- | ---: | ---: | ---: | ---: | --- | ---: |");
        for (Map.Entry<String, JsonNode> entry : results.entrySet()) {
            JsonNode result = entry.getValue();
            JsonNode primary = result.path("primaryMetric");
            JsonNode alloc = result.path("secondaryMetrics").path("gc.alloc.rate.norm");
            JsonNode p50 = primary.path("scorePercentiles").path("50.0");
            out.printf(Locale.ROOT, "| %s | %s | %d | %s | %s | %s | %s | %s |%n", entry.getKey(),
                    result.path("mode").asString(), result.path("threads").asInt(),
                    number(num(primary.path("score"))), number(num(primary.path("scoreError"))),
                    p50.isMissingNode() ? "–" : number(num(p50)),
                    primary.path("scoreUnit").asString(),
                    alloc.isMissingNode() ? "–" : number(num(alloc.path("score"))));
        }
    }

    private void atMost(PrintStream out, String target, String benchmark, String unit, double limit) {
        @Nullable Double value = score(benchmark, unit);
        row(out, target, benchmark, value, unit, "≤ " + number(limit), value == null ? null : value <= limit);
    }

    private void atLeast(PrintStream out, String target, String benchmark, String unit, double limit) {
        @Nullable Double value = score(benchmark, unit);
        row(out, target, benchmark, value, unit, "≥ " + number(limit), value == null ? null : value >= limit);
    }

    private void reported(PrintStream out, String target, String benchmark, String unit) {
        row(out, target, benchmark, score(benchmark, unit), unit, "–", null);
    }

    private void allocation(PrintStream out, String target, String benchmark, double limit) {
        JsonNode result = results.get(benchmark);
        JsonNode alloc = result == null ? null : result.path("secondaryMetrics").path("gc.alloc.rate.norm");
        @Nullable Double value = alloc == null || alloc.isMissingNode() ? null : num(alloc.path("score"));
        String limitText = Double.isNaN(limit) ? "–" : "≤ " + number(limit);
        @Nullable Boolean verdict = value == null || Double.isNaN(limit) ? null : value <= limit;
        row(out, target, benchmark + " `-prof gc`", value, "B/op", limitText, verdict);
    }

    /** {@code (benchmark - baseline) / per} in microseconds against a limit (medians in sample mode). */
    private void difference(PrintStream out, String target, String benchmark, String baseline, int per,
            double limitUs) {
        @Nullable Double value = scoreOrMedian(benchmark);
        @Nullable Double base = scoreOrMedian(baseline);
        String name = "(" + benchmark + " − " + baseline + ")" + (per == 1 ? "" : " / " + per);
        if (value == null || base == null) {
            row(out, target, name, null, "us", "≤ " + number(limitUs), null);
            return;
        }
        double d = (value - base) / per;
        row(out, target, name, d, "us", "≤ " + number(limitUs), d <= limitUs);
    }

    private @Nullable Double scoreOrMedian(String benchmark) {
        JsonNode result = results.get(benchmark);
        if (result == null) {
            return null;
        }
        JsonNode primary = result.path("primaryMetric");
        JsonNode p50 = primary.path("scorePercentiles").path("50.0");
        double v = "sample".equals(result.path("mode").asString()) && !p50.isMissingNode() ? num(p50)
                : num(primary.path("score"));
        return convert(v, primary.path("scoreUnit").asString(), "us/op");
    }

    private void allocationDifference(PrintStream out, String target, String benchmark, String baseline, int per,
            double limit) {
        @Nullable Double value = allocationOf(benchmark);
        @Nullable Double base = allocationOf(baseline);
        String name = "(" + benchmark + " − " + baseline + ") / " + per + " `-prof gc`";
        if (value == null || base == null) {
            row(out, target, name, null, "B", "≤ " + number(limit), null);
            return;
        }
        double d = (value - base) / per;
        row(out, target, name, d, "B", "≤ " + number(limit), d <= limit);
    }

    private @Nullable Double allocationOf(String benchmark) {
        JsonNode result = results.get(benchmark);
        JsonNode alloc = result == null ? null : result.path("secondaryMetrics").path("gc.alloc.rate.norm");
        return alloc == null || alloc.isMissingNode() ? null : num(alloc.path("score"));
    }

    private void ratio(PrintStream out, String target, String benchmark, String baseline, double limit) {
        @Nullable Double value = score(benchmark, "us/op");
        @Nullable Double base = score(baseline, "us/op");
        if (value == null || base == null) {
            row(out, target, benchmark + " / " + baseline, null, "", "≤ " + number(limit) + "×", null);
            return;
        }
        double r = value / base;
        out.printf(Locale.ROOT, "| %s | %s / %s | %s× (%s / %s us) | ≤ %s× | %s |%n", target, benchmark, baseline,
                number(r), number(value), number(base), number(limit), verdict(r <= limit));
    }

    /** T1–T4 of the Spring AI bridge (docs/performance.md), all from one SpringAiBridgeBenchmark run. */
    private void springAiBridge(PrintStream out) {
        String b = "SpringAiBridgeBenchmark.";
        @Nullable Double raw = score(b + "rawHttpClient", "us/op");
        @Nullable Double adapter = score(b + "llmixAdapterPipeline", "us/op");
        @Nullable Double spring = score(b + "springAiOpenAiChatModel", "us/op");
        @Nullable Double client = score(b + "chatClientOverLlmix", "us/op");
        @Nullable Double hit = score(b + "chatClientOverLlmixCacheHit", "us/op");
        boolean all = raw != null && adapter != null && spring != null && client != null && hit != null;
        row(out, "T1 LLMix adapter overhead over the raw `HttpClient` floor", "(b) − (a)",
                all ? adapter - raw : null, "us", "≤ 15", all ? adapter - raw <= 15 : null);
        row(out, "T2 LLMix adapter overhead ≤ ⅓ of Spring AI's own", "(b) − (a) vs ((c) − (a)) / 3",
                all ? adapter - raw : null, "us", all ? "≤ " + number((spring - raw) / 3) : "≤ ((c) − (a)) / 3",
                all ? adapter - raw <= (spring - raw) / 3 : null);
        row(out, "T3 `ChatClient` over LLMix vs Spring AI's own `OpenAiChatModel`", "(d) − (c)",
                all ? client - spring : null, "us", "≤ 10", all ? client - spring <= 10 : null);
        row(out, "T4 Spring AI's own call / `ChatClient` L1 hit over LLMix", "(c) / (e)",
                all ? spring / hit : null, "×", "≥ 20", all ? spring / hit >= 20 : null);
        for (String name : List.of("llmixAdapterPipeline", "springAiOpenAiChatModel", "chatClientOverLlmix")) {
            @Nullable Double v = score(b + name, "us/op");
            @Nullable Double bytes = alloc(b + name);
            @Nullable Double rawBytes = alloc(b + "rawHttpClient");
            row(out, "Overhead of " + name + " over (a)", b + name, raw == null || v == null ? null : v - raw, "us",
                    "–", null);
            row(out, "Allocation overhead of " + name + " over (a)", b + name + " `-prof gc`",
                    bytes == null || rawBytes == null ? null : bytes - rawBytes, "B/op", "–", null);
        }
    }

    private @Nullable Double alloc(String benchmark) {
        JsonNode result = results.get(benchmark);
        JsonNode alloc = result == null ? null : result.path("secondaryMetrics").path("gc.alloc.rate.norm");
        return alloc == null || alloc.isMissingNode() ? null : num(alloc.path("score"));
    }

    private void dispatches(PrintStream out, String target, String benchmark) {
        JsonNode result = results.get(benchmark);
        JsonNode metric = result == null ? null : result.path("secondaryMetrics").path("dispatches");
        if (metric == null || metric.isMissingNode()) {
            row(out, target, benchmark, null, "", "= 1", null);
            return;
        }
        // EVENTS counters are reported per iteration in rawData; each iteration of a single-shot run is one burst.
        List<Double> perBurst = new ArrayList<>();
        for (JsonNode fork : metric.path("rawData")) {
            for (JsonNode iteration : fork) {
                perBurst.add(num(iteration));
            }
        }
        boolean exact = !perBurst.isEmpty() && perBurst.stream().allMatch(d -> d == 1.0);
        out.printf(Locale.ROOT, "| %s | %s | %s per burst (%d bursts) | = 1 | %s |%n", target, benchmark,
                perBurst.stream().map(TargetReport::number).distinct().sorted().toList(), perBurst.size(),
                verdict(exact));
    }

    private void row(PrintStream out, String target, String benchmark, @Nullable Double value, String unit,
            String limit, @Nullable Boolean ok) {
        out.printf(Locale.ROOT, "| %s | %s | %s | %s | %s |%n", target, benchmark,
                value == null ? "not run" : number(value) + " " + unit, limit.equals("–") || unit.isEmpty() ? limit : limit + " " + unit,
                ok == null ? "–" : verdict(ok));
    }

    /** The primary score of {@code benchmark} converted to {@code unit}, or null when it was not run. */
    private @Nullable Double score(String benchmark, String unit) {
        JsonNode result = results.get(benchmark);
        if (result == null) {
            return null;
        }
        JsonNode primary = result.path("primaryMetric");
        JsonNode p50 = primary.path("scorePercentiles").path("50.0");
        if (median && !p50.isMissingNode()) {
            return convert(num(p50), primary.path("scoreUnit").asString(), unit);
        }
        return convert(num(primary.path("score")), primary.path("scoreUnit").asString(), unit);
    }

    /** JMH writes NaN (e.g. the error of a single iteration) as the string {@code "NaN"}. */
    private static double num(JsonNode node) {
        return node.isNumber() ? node.asDouble() : Double.NaN;
    }

    static double convert(double value, String from, String to) {
        if (from.equals(to)) {
            return value;
        }
        boolean fromRate = from.startsWith("ops/");
        boolean toRate = to.startsWith("ops/");
        double fromSeconds = seconds(fromRate ? from.substring(4) : from.substring(0, from.indexOf('/')));
        double toSeconds = seconds(toRate ? to.substring(4) : to.substring(0, to.indexOf('/')));
        if (fromRate != toRate) {
            throw new IllegalArgumentException("Cannot convert " + from + " to " + to);
        }
        return fromRate ? value * toSeconds / fromSeconds : value * fromSeconds / toSeconds;
    }

    private static double seconds(String unit) {
        return switch (unit) {
            case "ns" -> 1e-9;
            case "us" -> 1e-6;
            case "ms" -> 1e-3;
            case "s" -> 1;
            case "min" -> 60;
            default -> throw new IllegalArgumentException("Unknown time unit " + unit);
        };
    }

    private static String shortName(JsonNode result) {
        String name = result.path("benchmark").asString();
        return name.startsWith(PKG) ? name.substring(PKG.length()) : name;
    }

    private static String verdict(boolean ok) {
        return ok ? "**met**" : "**missed**";
    }

    private static String number(double value) {
        if (Double.isNaN(value)) {
            return "NaN";
        }
        double abs = Math.abs(value);
        if (abs < 0.01) {
            return value == 0 ? "0" : "≈ 0";
        }
        if (abs >= 10_000) {
            return String.format(Locale.ROOT, "%,.0f", value);
        }
        if (abs >= 100) {
            return String.format(Locale.ROOT, "%.0f", value);
        }
        if (abs >= 10) {
            return String.format(Locale.ROOT, "%.1f", value);
        }
        return String.format(Locale.ROOT, "%.3g", value);
    }
}
