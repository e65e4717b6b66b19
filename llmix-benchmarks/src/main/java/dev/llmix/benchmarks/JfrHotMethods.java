package dev.llmix.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedMethod;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Summarises JFR recordings made with {@code -prof jfr}: the methods where execution and native-method samples land
 * (self time), the LLMix methods on the stack (inclusive time), both as shares of all samples of the benchmark
 * threads, and the sampled allocation by the LLMix line that allocated. Run
 * {@code java -cp llmix-benchmarks/target/benchmarks.jar dev.llmix.benchmarks.JfrHotMethods <file.jfr or dir> [top]}.
 */
public final class JfrHotMethods {

    private static final String OWN_CODE = "dev.llmix.";
    private static final String HARNESS = "dev.llmix.benchmarks.";

    private JfrHotMethods() {
    }

    /** Prints the summary of every {@code .jfr} file under the first argument. */
    public static void main(String[] args) throws IOException {
        Path root = Path.of(args.length > 0 ? args[0] : ".");
        int top = args.length > 1 ? Integer.parseInt(args[1]) : 15;
        List<Path> files;
        try (Stream<Path> walk = Files.walk(root)) {
            files = walk.filter(p -> p.toString().endsWith(".jfr")).sorted().toList();
        }
        for (Path file : files) {
            summarise(file, top);
        }
    }

    private static void summarise(Path file, int top) throws IOException {
        Map<String, Integer> self = new HashMap<>();
        Map<String, Integer> inclusive = new HashMap<>();
        Map<String, Integer> allocSite = new HashMap<>();
        int samples = 0;
        int allocWeight = 0;
        for (RecordedEvent event : RecordingFile.readAllEvents(file)) {
            if (event.getEventType().getName().equals("jdk.ObjectAllocationSample")) {
                RecordedStackTrace stack = event.getStackTrace();
                if (stack != null && isBenchmarkThread(stack)) {
                    // JFR's weight is the bytes this sample stands for; the first LLMix frame is the site to fix.
                    int weight = (int) Math.min(Integer.MAX_VALUE, event.getLong("weight") / 1024);
                    allocWeight += weight;
                    allocSite.merge(allocationSite(stack) + " <- " + event.getClass("objectClass").getName(), weight,
                            Integer::sum);
                }
                continue;
            }
            // Java-state samples plus native-state ones: a syscall such as the kill switch's stat is only seen there.
            String type = event.getEventType().getName();
            if (!type.equals("jdk.ExecutionSample") && !type.equals("jdk.NativeMethodSample")) {
                continue;
            }
            RecordedStackTrace stack = event.getStackTrace();
            if (stack == null || stack.getFrames().isEmpty() || !isBenchmarkThread(stack)) {
                continue;
            }
            samples++;
            List<RecordedFrame> frames = stack.getFrames();
            self.merge(name(frames.get(0)), 1, Integer::sum);
            Set<String> seen = new HashSet<>();
            for (RecordedFrame frame : frames) {
                String name = name(frame);
                if (name.startsWith(OWN_CODE) && !name.startsWith(HARNESS) && seen.add(name)) {
                    inclusive.merge(name, 1, Integer::sum);
                }
            }
        }
        System.out.printf(Locale.ROOT, "%n== %s (%d samples on benchmark threads)%n", file, samples);
        print("self", self, samples, top);
        print("inclusive, LLMix methods", inclusive, samples, top);
        print("allocation (sampled bytes) by first LLMix frame <- allocated class", allocSite, allocWeight, top);
    }

    private static String allocationSite(RecordedStackTrace stack) {
        for (RecordedFrame frame : stack.getFrames()) {
            String name = name(frame);
            if (name.startsWith(OWN_CODE) && !name.startsWith(HARNESS)) {
                return name + ":" + frame.getLineNumber();
            }
        }
        return name(stack.getFrames().get(0));
    }

    /** Only samples taken inside the measured code: the stack passes through a generated JMH stub. */
    private static boolean isBenchmarkThread(RecordedStackTrace stack) {
        for (RecordedFrame frame : stack.getFrames()) {
            if (frame.getMethod().getType().getName().contains("jmh_generated")) {
                return true;
            }
        }
        return false;
    }

    private static void print(String title, Map<String, Integer> counts, int samples, int top) {
        System.out.println("-- " + title);
        counts.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue(Comparator.reverseOrder()))
                .limit(top)
                .forEach(e -> System.out.printf(Locale.ROOT, "%6.1f%%  %s%n", 100.0 * e.getValue() / samples,
                        e.getKey()));
    }

    private static String name(RecordedFrame frame) {
        RecordedMethod method = frame.getMethod();
        return method.getType().getName() + "." + method.getName();
    }
}
