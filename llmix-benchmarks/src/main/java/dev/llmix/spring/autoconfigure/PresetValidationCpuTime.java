package dev.llmix.spring.autoconfigure;

import dev.llmix.config.mda.MdaLoadOptions;
import dev.llmix.config.mda.MdaPresetLoader;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The start-up validation of 1,000 presets measured in CPU time as well as wall time, so that a figure taken on a
 * shared, loaded machine still says what the work costs: the process CPU time of a pass (validation threads, JIT and
 * GC included) is what a quiet machine spends, spread over its cores. Prints the first pass of a fresh JVM (what
 * start-up pays) and the median of the warm passes. Run
 * {@code java -cp llmix-benchmarks/target/benchmarks.jar dev.llmix.spring.autoconfigure.PresetValidationCpuTime [warm passes]}.
 */
public final class PresetValidationCpuTime {

    private PresetValidationCpuTime() {
    }

    /** Writes the presets, validates them once cold and then {@code args[0]} (default 20) times warm. */
    public static void main(String[] args) throws IOException {
        int warmPasses = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        Path root = Files.createTempDirectory("llmix-presets");
        for (int i = 0; i < PresetValidationBenchmark.PRESETS; i++) {
            Path file = root.resolve("source").resolve("mod_" + (i % 10)).resolve("preset_" + i + ".mda");
            Files.createDirectories(file.getParent());
            Files.writeString(file, PresetValidationBenchmark.preset(i));
        }
        MdaPresetLoader loader = MdaPresetLoader.create(root.resolve("source"), MdaLoadOptions.DEFAULTS);
        long[] cold = pass(loader);
        long[] cpu = new long[warmPasses];
        long[] wall = new long[warmPasses];
        for (int i = 0; i < warmPasses; i++) {
            long[] r = pass(loader);
            cpu[i] = r[0];
            wall[i] = r[1];
        }
        Arrays.sort(cpu);
        Arrays.sort(wall);
        System.out.printf("cold: cpu %d ms, wall %d ms; warm (median of %d): cpu %d ms, wall %d ms; load %.1f%n",
                cold[0], cold[1], warmPasses, cpu[warmPasses / 2], wall[warmPasses / 2],
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }

    /** One validation pass: {process CPU ms, wall ms}. */
    private static long[] pass(MdaPresetLoader loader) {
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpu0 = os.getProcessCpuTime();
        long wall0 = System.nanoTime();
        PresetValidation.Result result = PresetValidation.validate(LlmixStartupCheck.directoryCandidates(loader));
        long wall = System.nanoTime() - wall0;
        long cpu = os.getProcessCpuTime() - cpu0;
        if (result.presets().size() != PresetValidationBenchmark.PRESETS || !result.problems().isEmpty()) {
            throw new IllegalStateException("expected valid presets: " + result.problems());
        }
        return new long[] {cpu / 1_000_000, wall / 1_000_000};
    }
}
