package dev.llmix.keys;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** {@link KeyPoolRegistry#onKeyDead} reports each key that dies, masked, once. */
class KeyPoolRegistryEventsTest {

    private static final String KEY_A = "sk-test-aaaaaaaaaaaaaaaa1111";
    private static final String KEY_B = "sk-test-bbbbbbbbbbbbbbbb2222";

    @Test
    void aDeadKeyIsReportedMaskedAndOnce() {
        KeyPoolRegistry registry = new KeyPoolRegistry();
        List<KeyPoolEvent> events = new CopyOnWriteArrayList<>();
        registry.onKeyDead(events::add);
        KeyPool pool = new KeyPool(List.of(KEY_A, KEY_B));
        registry.put("openai", pool);

        pool.markDead(KEY_A);
        pool.markDead(KEY_A);
        pool.markDead(KEY_B);

        assertThat(events).extracting(KeyPoolEvent::alive).containsExactly(1, 0);
        assertThat(events.get(1).exhausted()).isTrue();
        assertThat(events.get(0).maskedKey()).isEqualTo(ApiKeys.mask(KEY_A));
        assertThat(events.toString()).doesNotContain(KEY_A).doesNotContain(KEY_B);
    }

    @Test
    void aPoolLoadedOnFirstUseIsObservedToo() {
        KeyPoolRegistry registry = new KeyPoolRegistry(p -> new KeyPool(List.of(KEY_A)));
        List<KeyPoolEvent> events = new CopyOnWriteArrayList<>();
        registry.onKeyDead(events::add);

        registry.pool("anthropic").markDead(KEY_A);

        assertThat(events).singleElement().satisfies(e -> assertThat(e.provider()).isEqualTo("anthropic"));
    }
}
