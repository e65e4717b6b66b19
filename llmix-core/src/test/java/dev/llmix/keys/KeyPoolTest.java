package dev.llmix.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmix.LlmixLocalException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Acceptance checks 27–29 of resilience.md §13 and the masking rules. */
class KeyPoolTest {

    /** Distinctive fake keys: if any of them shows up in text, a key leaked. */
    private static final List<String> SECRET_KEYS = List.of("sk-LEAKCANARY-0123456789abcdef",
            "sk-LEAKCANARY-fedcba9876543210", "sk-LEAKCANARY-aaaabbbbccccdddd");

    private static List<String> selectAndRotate(KeyPool pool, int times) {
        List<String> seen = new ArrayList<>();
        for (int i = 0; i < times; i++) {
            seen.add(pool.select());
            pool.rotate();
        }
        return seen;
    }

    @Test
    void selectThenRotateCyclesThroughKeysInOrder() {
        KeyPool pool = new KeyPool(List.of("a", "b", "c"));
        assertThat(selectAndRotate(pool, 6)).containsExactly("a", "b", "c", "a", "b", "c");
    }

    @Test
    void selectDoesNotAdvanceByItself() {
        KeyPool pool = new KeyPool(List.of("a", "b", "c"));
        assertThat(pool.select()).isEqualTo("a");
        assertThat(pool.select()).isEqualTo("a");
    }

    @Test
    void deadKeyIsSkippedByRotation() {
        KeyPool pool = new KeyPool(List.of("a", "b", "c"));
        pool.markDead("b");
        assertThat(pool.select()).isEqualTo("a");
        pool.rotate();
        assertThat(pool.select()).isEqualTo("c");
        pool.rotate();
        assertThat(pool.select()).isEqualTo("a");
    }

    @Test
    void keysAreTrimmedDedupedAndEmptiesDropped() {
        KeyPool pool = new KeyPool(List.of(" b ", "a", "", "b", "  ", "c", "a"));
        assertThat(pool.keys()).containsExactly("b", "a", "c");
        assertThat(pool.totalCount()).isEqualTo(3);
    }

    @Test
    void onlyBlankKeysAreRejected() {
        assertThatThrownBy(() -> new KeyPool(List.of("", "  ", "\t\n")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("KeyPool requires at least one non-empty key");
    }

    @Test
    void nbspAndBomAreTrimmedAsInJavaScript() {
        assertThat(new KeyPool(List.of("\u00A0sk-a\uFEFF", "sk-b")).keys()).containsExactly("sk-a", "sk-b");
    }

    @Test
    void informationSeparatorsAreNotTrimmed() {
        assertThat(new KeyPool(List.of("\u001Csk-a\u001C")).keys()).containsExactly("\u001Csk-a\u001C");
    }

    @Test
    void duplicatesAreCaseSensitiveAfterTrimming() {
        assertThat(new KeyPool(List.of("k", " k", "k ", "K")).keys()).containsExactly("k", "K");
    }

    @Test
    void allKeysDeadExhaustsThePool() {
        KeyPool pool = new KeyPool(List.of("a", "b"));
        pool.markDead("a");
        pool.markDead("b");
        assertThat(pool.isExhausted()).isTrue();
        assertThat(pool.aliveCount()).isZero();
        assertThatThrownBy(pool::select)
                .isInstanceOf(KeyPoolExhaustedException.class)
                .isInstanceOf(LlmixLocalException.class)
                .hasMessage("All 2 keys are dead (401/403). Replace keys or wait for provider resolution.");
    }

    @Test
    void rotateOnExhaustedPoolDoesNothing() {
        KeyPool pool = new KeyPool(List.of("a", "b"));
        pool.rotate();
        pool.markDead("a");
        pool.markDead("b");
        pool.rotate();
        assertThat(pool.cursor()).isEqualTo(1);
        assertThat(pool.isExhausted()).isTrue();
    }

    @Test
    void unknownOrUntrimmedKeysAreIgnoredByMarkDead() {
        KeyPool pool = new KeyPool(List.of("a", "b"));
        pool.markDead("zzz");
        pool.markDead(" a");
        assertThat(pool.aliveCount()).isEqualTo(2);
        assertThat(pool.select()).isEqualTo("a");
    }

    @Test
    void markDeadTwiceCountsOnce() {
        KeyPool pool = new KeyPool(List.of("a", "b"));
        pool.markDead("a");
        pool.markDead("a");
        assertThat(pool.aliveCount()).isEqualTo(1);
        assertThat(pool.isExhausted()).isFalse();
        assertThat(pool.select()).isEqualTo("b");
    }

    @Test
    void singleLiveKeyRotatesOntoItself() {
        KeyPool pool = new KeyPool(List.of("a", "b", "c"));
        pool.markDead("a");
        pool.markDead("c");
        pool.rotate();
        assertThat(pool.select()).isEqualTo("b");
        pool.rotate();
        assertThat(pool.select()).isEqualTo("b");
    }

    @Test
    void snapshotListsMaskedLiveKeysInPoolOrder() {
        KeyPool pool = new KeyPool(SECRET_KEYS);
        pool.markDead(SECRET_KEYS.get(1));
        KeyPoolSnapshot snapshot = pool.snapshot();
        assertThat(snapshot.alive()).isEqualTo(2);
        assertThat(snapshot.total()).isEqualTo(3);
        assertThat(snapshot.maskedAliveKeys())
                .containsExactly(ApiKeys.mask(SECRET_KEYS.get(0)), ApiKeys.mask(SECRET_KEYS.get(2)));
    }

    @Test
    void toStringSnapshotAndErrorsNeverContainAKey() {
        KeyPool pool = new KeyPool(SECRET_KEYS);
        List<String> texts = new ArrayList<>();
        texts.add(pool.toString());
        texts.add(pool.snapshot().toString());
        SECRET_KEYS.forEach(pool::markDead);
        texts.add(pool.toString());
        try {
            pool.select();
        } catch (KeyPoolExhaustedException e) {
            texts.add(e.getMessage());
            texts.add(e.toString());
        }
        try {
            new KeyPool(List.of(" ", ""));
        } catch (IllegalArgumentException e) {
            texts.add(e.getMessage());
        }
        assertThat(texts).hasSize(6);
        for (String text : texts) {
            for (String key : SECRET_KEYS) {
                assertThat(text).doesNotContain(key).doesNotContain("LEAKCANARY");
            }
        }
    }
}
