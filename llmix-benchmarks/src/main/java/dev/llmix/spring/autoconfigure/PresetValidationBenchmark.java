package dev.llmix.spring.autoconfigure;

import dev.llmix.config.mda.MdaLoadOptions;
import dev.llmix.config.mda.MdaPresetLoader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The start-up validation of 1,000 presets ({@code llmix.config.validate-on-startup}): listing
 * {@code <root>/source/<module>/<preset>.mda}, then reading, parsing and validating each file exactly as
 * {@link LlmixStartupCheck} does. {@code cold} is one pass in a fresh JVM, which is what an application's start-up
 * pays; {@code warm} is the steady-state cost of a pass. Lives in the auto-configuration's package to reach the
 * package-private validation without making it public API.
 */
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@State(Scope.Benchmark)
public class PresetValidationBenchmark {

    static final int PRESETS = 1000;
    private static final int MODULES = 10;

    private Path root;
    private MdaPresetLoader loader;

    @Setup(Level.Trial)
    public void writePresets() throws IOException {
        root = Files.createTempDirectory("llmix-presets");
        for (int i = 0; i < PRESETS; i++) {
            Path file = root.resolve("source").resolve("mod_" + (i % MODULES)).resolve("preset_" + i + ".mda");
            Files.createDirectories(file.getParent());
            Files.writeString(file, preset(i));
        }
        loader = MdaPresetLoader.create(root.resolve("source"), MdaLoadOptions.DEFAULTS);
    }

    /** A realistic preset: sampling parameters, provider options, timeout, caching, tags and a Markdown body. */
    static String preset(int i) {
        return "---\nname: preset-" + i + "\ndescription: Benchmark preset number " + i + ".\n"
                + "metadata:\n  snoai-llmix:\n    common:\n      provider: openai\n      model: gpt-5-mini\n"
                + "      maxOutputTokens: 1024\n      temperature: 0.7\n      topP: 0.9\n"
                + "      stopSequences: [\"END\"]\n    providerOptions:\n      openai:\n"
                + "        reasoningEffort: low\n        parallelToolCalls: false\n"
                + "    timeout: {totalTime: 60}\n    caching: {strategy: memory, ttl: 600}\n"
                + "    tags: [bench, m" + (i % MODULES) + "]\n---\n\n# Preset " + i + "\n\nUsed by the benchmark.\n";
    }

    @TearDown(Level.Trial)
    public void deletePresets() throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }

    private PresetValidation.Result validateAll() {
        PresetValidation.Result result = PresetValidation.validate(LlmixStartupCheck.directoryCandidates(loader));
        if (result.presets().size() != PRESETS || !result.problems().isEmpty()) {
            throw new IllegalStateException("expected " + PRESETS + " valid presets: " + result.problems());
        }
        return result;
    }

    /** One pass in a fresh JVM (class loading and JIT included): what start-up pays. */
    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @Warmup(iterations = 0)
    @Measurement(iterations = 1)
    @Fork(5)
    public PresetValidation.Result cold() {
        return validateAll();
    }

    /** A pass once the JVM is warm. */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @Warmup(iterations = 3, time = 2)
    @Measurement(iterations = 5, time = 2)
    @Fork(1)
    public PresetValidation.Result warm() {
        return validateAll();
    }
}
