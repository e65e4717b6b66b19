package dev.llmix.keys;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Key cool-downs after a 429 with {@code Retry-After} (docs/fleet.md, shared key health), in one pool. */
class KeyPoolCoolDownTest {

    private static final String K1 = "sk-cool-k1-aaaaaaaaaaaaaaaa";
    private static final String K2 = "sk-cool-k2-bbbbbbbbbbbbbbbb";
    private static final String K3 = "sk-cool-k3-cccccccccccccccc";

    private static long in(long seconds) {
        return System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    }

    @Test
    void aCoolingKeyIsSkippedByTheCursor() {
        KeyPool pool = new KeyPool(List.of(K1, K2, K3));
        pool.coolDown(K1, in(60));
        assertThat(pool.select()).isEqualTo(K2);
        assertThat(pool.currentFingerprint()).isEqualTo(KeyPool.fingerprint(K2));
        assertThat(pool.coolingCount()).isEqualTo(1);
        assertThat(pool.aliveCount()).isEqualTo(3);
    }

    @Test
    void whenEveryLiveKeyCoolsTheEarliestEndingIsSelected() {
        KeyPool pool = new KeyPool(List.of(K1, K2, K3));
        pool.coolDown(K1, in(50));
        pool.coolDown(K2, in(20));
        pool.markDead(K3);
        assertThat(pool.select()).isEqualTo(K2);
        assertThat(pool.selectMatching(k -> true)).isEqualTo(K2);
    }

    @Test
    void aCoolDownThatEndedNoLongerCounts() {
        KeyPool pool = new KeyPool(List.of(K1, K2));
        pool.coolDown(K1, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1));
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1);
        while (System.nanoTime() - until < 0) {
            Thread.onSpinWait();
        }
        assertThat(pool.coolingCount()).isZero();
        assertThat(pool.select()).isEqualTo(K1);
    }

    @Test
    void aLaterEndWinsAndTheListenerHearsFingerprintsOnly() {
        KeyPool pool = new KeyPool(List.of(K1, K2));
        List<String> heard = new ArrayList<>();
        pool.shareCoolDowns((fp, until) -> heard.add(fp));
        pool.coolDown(K1, in(30));
        assertThat(pool.coolDownByFingerprint(KeyPool.fingerprint(K1), in(10))).isTrue();
        assertThat(pool.coolingMarks().get(KeyPool.fingerprint(K1))).isGreaterThan(TimeUnit.SECONDS.toNanos(20));
        assertThat(pool.coolDownByFingerprint("0000000000000000", in(10))).isFalse();
        assertThat(heard).containsExactly(KeyPool.fingerprint(K1));
    }
}
