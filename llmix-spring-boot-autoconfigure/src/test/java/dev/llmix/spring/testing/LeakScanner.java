package dev.llmix.spring.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Collects everything the suite produces that an operator could see (log lines, Actuator responses, metric names and
 * tags) and checks after each test class that no test API key appears in any of it. Every test class of this module
 * uses it ({@code @ExtendWith(LeakScanner.class)}).
 */
public final class LeakScanner implements AfterAllCallback {

    private static final ConcurrentLinkedQueue<String> LOGS = new ConcurrentLinkedQueue<>();
    private static final ConcurrentLinkedQueue<String> RESPONSES = new ConcurrentLinkedQueue<>();
    private static final ConcurrentLinkedQueue<String> METRICS = new ConcurrentLinkedQueue<>();

    static void log(String line) {
        LOGS.add(line);
    }

    /** Records an Actuator (or other operator-facing) response body. */
    public static void response(String body) {
        RESPONSES.add(body);
    }

    /** Records every meter's name and tags of {@code registry}. */
    public static void meters(MeterRegistry registry) {
        for (Meter m : registry.getMeters()) {
            StringBuilder sb = new StringBuilder(m.getId().getName());
            for (Tag t : m.getId().getTags()) {
                sb.append(' ').append(t.getKey()).append('=').append(t.getValue());
            }
            METRICS.add(sb.toString());
        }
    }

    /** Log lines captured so far (for tests that look for a specific line). */
    public static List<String> logs() {
        return new ArrayList<>(LOGS);
    }

    /** How much was scanned: log lines, responses, meters. */
    public static int[] counts() {
        return new int[] {LOGS.size(), RESPONSES.size(), METRICS.size()};
    }

    /** Asserts that no test key (nor its secret middle part) appears anywhere captured so far. */
    public static void assertNoKeys() {
        List<String> all = new ArrayList<>(LOGS);
        all.addAll(RESPONSES);
        all.addAll(METRICS);
        assertThat(leaks(all)).as("test API keys in logs, responses or metrics").isEmpty();
    }

    /** The texts containing a test key, or its secret middle part ({@code SECRETKEY000}). */
    public static List<String> leaks(Iterable<String> texts) {
        List<String> found = new ArrayList<>();
        for (String s : texts) {
            for (String key : ScriptedLlm.TEST_KEYS) {
                if (s.contains(key) || s.contains(key.substring(8, 20))) {
                    found.add(s);
                    break;
                }
            }
        }
        return found;
    }

    @Override
    public void afterAll(ExtensionContext context) {
        assertNoKeys();
    }
}
