package dev.llmix.spring.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The leak scan itself. The scan of everything the suite produced runs after every test class ({@link LeakScanner} is
 * registered on each), over all log lines (captured by {@link CapturingAppender} from {@code logback-test.xml}), every
 * Actuator response body, and every meter name and tag.
 */
@ExtendWith(LeakScanner.class)
class KeyLeakScanTest {

    @Test
    void detectsFullKeysAndTheirSecretPart() {
        String key = ScriptedLlm.TEST_KEYS.get(0);

        assertThat(LeakScanner.leaks(List.of("Authorization: Bearer " + key, "prefix SECRETKEY0001 only",
                "masked sk-…abcd", "nothing here"))).hasSize(2);
    }

    @Test
    void maskedKeysAreNotLeaks() {
        assertThat(LeakScanner.leaks(List.of("[\"sk-…abcd\",\"sk-…wxyz\"]"))).isEmpty();
    }

    @Test
    void logLinesAreCaptured() {
        org.slf4j.LoggerFactory.getLogger(KeyLeakScanTest.class).info("leak-scan canary");

        assertThat(LeakScanner.logs()).anyMatch(l -> l.contains("leak-scan canary"));
    }
}
