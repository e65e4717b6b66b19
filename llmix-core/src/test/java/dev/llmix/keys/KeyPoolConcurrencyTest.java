package dev.llmix.keys;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** KeyPool under a select / rotate / markDead storm (pipeline.md §8): operations are atomic. */
class KeyPoolConcurrencyTest {

    private static final int THREADS = 64;
    private static final int OPS_PER_THREAD = 2_000;

    @Test
    void stormOnALargePoolKeepsAliveCountConsistent() throws Exception {
        KeyPool pool = storm(200, 3);
        assertThat(pool.isExhausted()).isFalse();
    }

    @Test
    void stormThatKillsEveryKeyOnlyEverThrowsExhaustion() throws Exception {
        KeyPool pool = storm(8, 100);
        assertThat(pool.isExhausted()).isTrue();
    }

    /** Runs the storm and checks the counts; {@code markDeadPerMille} is the share of markDead calls. */
    private static KeyPool storm(int keyCount, int markDeadPerMille) throws Exception {
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < keyCount; i++) {
            keys.add("key-" + i);
        }
        KeyPool pool = new KeyPool(keys);
        Set<String> markedDead = ConcurrentHashMap.newKeySet();
        Queue<Throwable> unexpected = new ConcurrentLinkedQueue<>();
        AtomicInteger exhaustions = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            long seed = t;
            threads.add(new Thread(() -> {
                SplittableRandom random = new SplittableRandom(seed);
                Set<String> killedByMe = new java.util.HashSet<>();
                try {
                    start.await();
                    for (int i = 0; i < OPS_PER_THREAD; i++) {
                        int dice = random.nextInt(1000);
                        if (dice < markDeadPerMille) {
                            String victim = keys.get(random.nextInt(keyCount));
                            pool.markDead(victim);
                            markedDead.add(victim);
                            killedByMe.add(victim);
                        } else if (dice < 600) {
                            try {
                                String key = pool.select();
                                if (killedByMe.contains(key)) {
                                    unexpected.add(new AssertionError("selected a key this thread killed: " + key));
                                }
                            } catch (KeyPoolExhaustedException e) {
                                exhaustions.incrementAndGet();
                                if (!pool.isExhausted()) {
                                    unexpected.add(new AssertionError("exhaustion reported on a live pool"));
                                }
                            }
                        } else {
                            pool.rotate();
                        }
                        int alive = pool.aliveCount();
                        if (alive < 0 || alive > keyCount) {
                            unexpected.add(new AssertionError("alive count out of range: " + alive));
                        }
                    }
                } catch (Throwable e) {
                    unexpected.add(e);
                }
            }));
        }
        threads.forEach(Thread::start);
        start.countDown();
        for (Thread thread : threads) {
            thread.join(30_000);
            assertThat(thread.isAlive()).isFalse();
        }
        assertThat(unexpected).isEmpty();
        assertThat(pool.aliveCount()).isEqualTo(keyCount - markedDead.size());
        assertThat(pool.isExhausted()).isEqualTo(markedDead.size() == keyCount);
        assertThat(pool.snapshot().maskedAliveKeys()).hasSize(keyCount - markedDead.size());
        if (!pool.isExhausted()) {
            assertThat(markedDead).doesNotContain(pool.select());
        }
        return pool;
    }
}
