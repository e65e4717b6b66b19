package dev.llmix.limiter;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** {@link LimiterRegistry#onWindowChange} reports every window change, and only changes. */
class LimiterRegistryEventsTest {

    @Test
    void aRateLimitShrinksTheWindowAndSuccessesGrowItBackAsEvents() {
        LimiterRegistry registry = new LimiterRegistry(p -> new LimiterConfig(8, 2));
        List<LimiterEvent> events = new CopyOnWriteArrayList<>();
        registry.onWindowChange(events::add);
        registry.onWindowChange(e -> {
            throw new IllegalStateException("a failing consumer is skipped");
        });
        AdaptiveSemaphore limiter = registry.limiter("openai");

        limiter.onSuccess(); // already at the ceiling: no change, no event
        limiter.onRateLimit();
        limiter.onSuccess();

        assertThat(events).containsExactly(new LimiterEvent("openai", 8, 4, 2, 8),
                new LimiterEvent("openai", 4, 5, 2, 8));
        assertThat(events.get(0).shrunk()).isTrue();
    }
}
