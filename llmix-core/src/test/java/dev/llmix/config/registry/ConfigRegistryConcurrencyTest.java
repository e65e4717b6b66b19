package dev.llmix.config.registry;

import static dev.llmix.config.registry.RegistryBuilder.REV_A;
import static dev.llmix.config.registry.RegistryBuilder.REV_B;
import static dev.llmix.config.registry.RegistryTestSupport.rev;
import static org.assertj.core.api.Assertions.assertThat;

import dev.llmix.config.LlmConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Readers racing a moving pointer see whole revisions only (config-registry.md §10.2 check 17). */
class ConfigRegistryConcurrencyTest {

    private static final int THREADS = 64;

    @TempDir
    Path root;
    private byte[] pointerA;
    private byte[] pointerB;

    @BeforeEach
    void setUp() throws IOException {
        RegistryFixtures.copy(root);
        pointerA = Files.readAllBytes(root.resolve("current.json"));
        RegistryTestSupport.point(root, REV_B);
        pointerB = Files.readAllBytes(root.resolve("current.json"));
        Files.write(root.resolve("current.json"), pointerA);
    }

    /** Publishers replace current.json atomically (temp file + rename). */
    private void publish(byte[] pointer) {
        try {
            Path tmp = root.resolve("current.json.tmp");
            Files.write(tmp, pointer);
            Files.move(tmp, root.resolve("current.json"), StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    @Timeout(60)
    void oneSwitchLoadsRevisionBExactlyOnceWhileReadersSeeWholeRevisions() throws Exception {
        AtomicInteger manifestReadsB = new AtomicInteger();
        Path manifestB = rev(root, REV_B).resolve("manifest.json");
        ConfigRegistryManager m = ConfigRegistryManager.open(root, ConfigRegistryOpenOptions.DEFAULTS,
                (path, what) -> {
                    if (path.equals(manifestB)) {
                        manifestReadsB.incrementAndGet();
                    }
                    return RegistryFiles.read(path, what);
                });
        LlmConfig a = m.getPreset("demo", "sample_preset");
        Result r = race(m, a, loadB(), 1);
        assertThat(r.errors).isEmpty();
        assertThat(r.mismatches.get()).isZero();
        assertThat(m.activeRevision()).isEqualTo(REV_B);
        assertThat(manifestReadsB.get()).isEqualTo(1);
        assertThat(r.sawB.get()).isPositive();
    }

    @Test
    @Timeout(60)
    void flippingBackAndForthNeverMixesRevisionsOrThrows() throws Exception {
        ConfigRegistryManager m = ConfigRegistryManager.open(root);
        LlmConfig a = m.getPreset("demo", "sample_preset");
        Result r = race(m, a, loadB(), 40);
        assertThat(r.errors).isEmpty();
        assertThat(r.mismatches.get()).isZero();
        assertThat(r.sawA.get()).isPositive();
        assertThat(r.sawB.get()).isPositive();
        assertThat(m.lastReloadError()).isEmpty();
    }

    /** Revision B's config, from a separate copy so the manager under test does not load it early. */
    private LlmConfig loadB() {
        Path copy = root.resolveSibling(root.getFileName() + "-b");
        RegistryFixtures.copy(copy);
        RegistryTestSupport.point(copy, REV_B);
        return ConfigRegistryManager.open(copy).getPreset("demo", "sample_preset");
    }

    private record Result(ConcurrentLinkedQueue<Throwable> errors, AtomicLong mismatches, AtomicLong sawA,
            AtomicLong sawB) {
    }

    /** 64 readers loop while the pointer flips {@code flips} times (A→B first); counts, not timing, are asserted. */
    private Result race(ConfigRegistryManager m, LlmConfig a, LlmConfig b, int flips) throws Exception {
        assertThat(b).isNotEqualTo(a);
        List<String> idsA = List.of("demo/sample", "demo/sample_preset");
        List<String> idsB = List.of("chat/reply", "demo/sample", "demo/sample_preset");
        Result r = new Result(new ConcurrentLinkedQueue<>(), new AtomicLong(), new AtomicLong(), new AtomicLong());
        AtomicBoolean done = new AtomicBoolean();
        AtomicLong reads = new AtomicLong();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        for (int t = 0; t < THREADS; t++) {
            boolean listReader = t % 8 == 0;
            pool.execute(() -> {
                try {
                    start.await();
                    while (!done.get()) {
                        if (listReader) {
                            List<String> ids = m.availablePresets();
                            if (!ids.equals(idsA) && !ids.equals(idsB)) {
                                r.mismatches.incrementAndGet();
                            }
                        } else {
                            LlmConfig c = m.getPreset("demo", "sample_preset");
                            if (c.equals(a)) {
                                r.sawA.incrementAndGet();
                            } else if (c.equals(b)) {
                                r.sawB.incrementAndGet();
                            } else {
                                r.mismatches.incrementAndGet();
                            }
                        }
                        ConfigRegistryStatus s = m.status();
                        if (s.presetCount() != (s.activeRevision().equals(REV_A) ? 2 : 3)) {
                            r.mismatches.incrementAndGet();
                        }
                        reads.incrementAndGet();
                    }
                } catch (Throwable e) {
                    r.errors.add(e);
                }
            });
        }
        start.countDown();
        for (int i = 0; i < flips; i++) {
            long target = reads.get() + 300;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (reads.get() < target && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            publish(i % 2 == 0 ? pointerB : pointerA);
        }
        long target = reads.get() + 300;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (reads.get() < target && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        done.set(true);
        pool.shutdown();
        assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        return r;
    }
}
