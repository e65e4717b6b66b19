package dev.llmix.internal.resilience;

import dev.llmix.resilience.LockHolderMain;
import dev.llmix.internal.resilience.GlobalConcurrencyLock;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileLockInterruptionException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class GlobalConcurrencyLockTest {

    private static final long TIMEOUT_S = 30;

    @TempDir
    Path dir;

    @Test
    void unsetVariableDisablesTheLock() {
        GlobalConcurrencyLock lock = GlobalConcurrencyLock.fromEnvironment(name -> null, dir);

        assertThat(lock.enabled()).isFalse();
        assertThat(lock.path()).isNull();
        lock.acquire();
        lock.release();
        assertThat(lock.isHeldByCurrentThread()).isFalse();
        assertThat(dir).isEmptyDirectory();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "\t\n"})
    void blankVariableDisablesTheLock(String value) {
        assertThat(GlobalConcurrencyLock.fromEnvironment(Map.of("LLM_GLOBAL_CONCURRENCY", value)::get, dir).enabled())
                .isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "00", "-1", "abc", "+4", "1.5", "4 4", "\uFF14", "1e3"})
    void invalidVariableFailsConstructionQuotingTheRawValue(String value) {
        assertThatThrownBy(() -> GlobalConcurrencyLock.fromEnvironment(Map.of("LLM_GLOBAL_CONCURRENCY", value)::get, dir))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("LLM_GLOBAL_CONCURRENCY must be a positive integer, got \"" + value + "\"");
    }

    @Test
    void invalidMessageQuotesTheUntrimmedValue() {
        assertThatThrownBy(() -> GlobalConcurrencyLock.fromEnvironment(Map.of("LLM_GLOBAL_CONCURRENCY", " 0 ")::get, dir))
                .hasMessage("LLM_GLOBAL_CONCURRENCY must be a positive integer, got \" 0 \"");
    }

    @ParameterizedTest
    @ValueSource(strings = {"4", " 4 ", "1", "007", "99999999999999999999"})
    void positiveIntegerEnablesTheLockInTheStateDirectory(String value) {
        GlobalConcurrencyLock lock = GlobalConcurrencyLock.fromEnvironment(Map.of("LLM_GLOBAL_CONCURRENCY", value)::get, dir);

        assertThat(lock.enabled()).isTrue();
        assertThat(lock.path()).isEqualTo(dir.resolve("llmix.lock"));
    }

    @Test
    void acquireCreatesDirectoriesAndFileAndReleaseSucceeds() {
        Path stateDir = dir.resolve("nested/state");
        GlobalConcurrencyLock lock = GlobalConcurrencyLock.fromEnvironment(Map.of("LLM_GLOBAL_CONCURRENCY", "4")::get, stateDir);

        lock.acquire();
        try {
            assertThat(stateDir.resolve("llmix.lock")).isRegularFile();
            assertThat(lock.isHeldByCurrentThread()).isTrue();
        } finally {
            lock.release();
        }
        assertThat(lock.isHeldByCurrentThread()).isFalse();
    }

    @Test
    void releaseWithoutHoldingIsANoOp() {
        GlobalConcurrencyLock lock = GlobalConcurrencyLock.atPath(dir.resolve("llmix.lock"));

        assertThatNoException().isThrownBy(lock::release);
    }

    @Test
    void secondInProcessAcquireBlocksUntilFirstRelease() throws Exception {
        GlobalConcurrencyLock lock = GlobalConcurrencyLock.atPath(dir.resolve("llmix.lock"));
        AtomicBoolean secondAcquired = new AtomicBoolean();
        CountDownLatch secondDone = new CountDownLatch(1);
        lock.acquire();
        Thread second = new Thread(() -> {
            lock.acquire();
            secondAcquired.set(true);
            lock.release();
            secondDone.countDown();
        });
        second.start();
        try {
            awaitQueued(lock, 1);
            assertThat(secondAcquired).isFalse();
        } finally {
            lock.release();
        }
        assertThat(secondDone.await(TIMEOUT_S, TimeUnit.SECONDS)).isTrue();
        assertThat(secondAcquired).isTrue();
    }

    @Test
    void instancesOnTheSameFileExcludeEachOtherInProcess() throws Exception {
        GlobalConcurrencyLock first = GlobalConcurrencyLock.fromEnvironment(Map.of("LLM_GLOBAL_CONCURRENCY", "1")::get, dir);
        GlobalConcurrencyLock second = GlobalConcurrencyLock.atPath(dir.resolve("sub/../llmix.lock"));
        CountDownLatch secondDone = new CountDownLatch(1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        first.acquire();
        Thread other = new Thread(() -> {
            try {
                second.acquire();
                second.release();
            } catch (Throwable t) {
                failure.set(t);
            } finally {
                secondDone.countDown();
            }
        });
        other.start();
        try {
            awaitQueued(first, 1);
        } finally {
            first.release();
        }
        assertThat(secondDone.await(TIMEOUT_S, TimeUnit.SECONDS)).isTrue();
        assertThat(failure.get()).isNull();
    }

    @Test
    void holdingThreadMayAcquireAgain() {
        GlobalConcurrencyLock lock = GlobalConcurrencyLock.atPath(dir.resolve("llmix.lock"));

        lock.acquire();
        lock.acquire();
        lock.release();
        assertThat(lock.isHeldByCurrentThread()).isTrue();
        lock.release();
        assertThat(lock.isHeldByCurrentThread()).isFalse();
    }

    @Test
    void sixtyFourThreadsNeverHoldTheLockTogether() throws Exception {
        GlobalConcurrencyLock lock = GlobalConcurrencyLock.atPath(dir.resolve("llmix.lock"));
        int threads = 64;
        int rounds = 20;
        AtomicInteger holders = new AtomicInteger();
        AtomicInteger overlaps = new AtomicInteger();
        int[] unguardedCounter = {0};
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> futures = new ArrayList<>();
        try {
            for (int t = 0; t < threads; t++) {
                futures.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < rounds; i++) {
                        lock.acquire();
                        try {
                            if (holders.incrementAndGet() != 1) {
                                overlaps.incrementAndGet();
                            }
                            unguardedCounter[0]++;
                            holders.decrementAndGet();
                        } finally {
                            lock.release();
                        }
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : futures) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(overlaps).hasValue(0);
        lock.acquire();
        try {
            assertThat(unguardedCounter[0]).isEqualTo(threads * rounds);
        } finally {
            lock.release();
        }
    }

    @Test
    void interruptedWaitEndsWithInterruptionAndLeavesTheLockUsable() throws Exception {
        GlobalConcurrencyLock lock = GlobalConcurrencyLock.atPath(dir.resolve("llmix.lock"));
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicBoolean stillInterrupted = new AtomicBoolean();
        lock.acquire();
        Thread waiter = new Thread(() -> {
            try {
                lock.acquire();
            } catch (Throwable t) {
                failure.set(t);
                stillInterrupted.set(Thread.currentThread().isInterrupted());
            }
        });
        waiter.start();
        try {
            awaitQueued(lock, 1);
            waiter.interrupt();
            waiter.join(TimeUnit.SECONDS.toMillis(TIMEOUT_S));
        } finally {
            lock.release();
        }

        assertThat(failure.get()).isInstanceOf(UncheckedIOException.class)
                .hasCauseInstanceOf(FileLockInterruptionException.class);
        assertThat(stillInterrupted).isTrue();
        lock.acquire();
        lock.release();
    }

    @Test
    void closedLockRefusesAcquireAndReleasesTheCallersHold() {
        GlobalConcurrencyLock lock = GlobalConcurrencyLock.atPath(dir.resolve("closed.lock"));
        lock.acquire();

        lock.close();

        assertThat(lock.isHeldByCurrentThread()).isFalse();
        assertThatThrownBy(lock::acquire).isInstanceOf(IllegalStateException.class);
        GlobalConcurrencyLock.disabled().close();
    }

    @Test
    void unwritableLocationIsAnIoError() throws IOException {
        Path notADirectory = Files.createFile(dir.resolve("plain-file"));
        GlobalConcurrencyLock lock = GlobalConcurrencyLock.atPath(notADirectory.resolve("llmix.lock"));

        assertThatThrownBy(lock::acquire).isInstanceOf(UncheckedIOException.class);
        assertThat(lock.isHeldByCurrentThread()).isFalse();
    }

    @Test
    void lockExcludesAnotherJvm() throws Exception {
        Path lockFile = dir.resolve("llmix.lock");
        Path childErr = dir.resolve("child.err");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-Xshare:auto", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), LockHolderMain.class.getName(),
                lockFile.toString(), "300")
                .redirectError(childErr.toFile())
                .start();
        GlobalConcurrencyLock lock = GlobalConcurrencyLock.atPath(lockFile);
        try {
            InputStream out = child.getInputStream();
            assertThat(readLine(out)).as(() -> "child stderr: " + readQuietly(childErr)).isEqualTo("LOCKED");

            lock.acquire();
            try {
                // The child printed RELEASING before unlocking, so it must already sit in the pipe.
                assertThat(out.available()).as("child output waiting when the parent got the lock").isPositive();
                assertThat(readLine(out)).isEqualTo("RELEASING");
            } finally {
                lock.release();
            }
            assertThat(child.waitFor(TIMEOUT_S, TimeUnit.SECONDS)).isTrue();
            assertThat(child.exitValue()).as(() -> "child stderr: " + readQuietly(childErr)).isZero();
        } finally {
            child.destroyForcibly();
        }
    }

    private static void awaitQueued(GlobalConcurrencyLock lock, int waiters) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_S);
        while (lock.queueLength() < waiters) {
            assertThat(System.nanoTime()).as("waiting for %d queued threads", waiters).isLessThan(deadline);
            Thread.sleep(1);
        }
    }

    /** Reads one line byte by byte, so nothing after it is consumed from the pipe. */
    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1 && b != '\n') {
            line.write(b);
        }
        return line.toString(StandardCharsets.UTF_8).strip();
    }

    private static String readQuietly(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "<unreadable: " + e + ">";
        }
    }
}
