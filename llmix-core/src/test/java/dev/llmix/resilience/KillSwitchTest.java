package dev.llmix.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KillSwitchTest {

    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    @TempDir
    Path dir;

    @Test
    void emptyDirectoryLetsCallsThrough() {
        KillSwitch killSwitch = new KillSwitch(dir);

        assertThatNoException().isThrownBy(killSwitch::check);
        assertThat(killSwitch.isActive()).isFalse();
    }

    @Test
    void existingFileBlocksCalls() throws IOException {
        KillSwitch killSwitch = new KillSwitch(dir);
        Files.createFile(dir.resolve("killswitch"));

        assertThatThrownBy(killSwitch::check)
                .isInstanceOf(KillSwitchActiveException.class)
                .hasMessageStartingWith("Kill switch active:")
                .hasMessage("Kill switch active: " + dir.resolve("killswitch") + " exists. All LLMix calls are blocked.")
                .extracting(e -> ((KillSwitchActiveException) e).path()).isEqualTo(dir.resolve("killswitch"));
        assertThat(killSwitch.isActive()).isTrue();
    }

    @Test
    void directoryNamedKillswitchAlsoBlocksCalls() throws IOException {
        Files.createDirectory(dir.resolve("killswitch"));

        assertThatThrownBy(new KillSwitch(dir)::check).isInstanceOf(KillSwitchActiveException.class);
    }

    @Test
    void missingStateDirectoryMeansInactive() {
        assertThat(new KillSwitch(dir.resolve("not/there")).isActive()).isFalse();
    }

    @Test
    void switchIsReadOnEveryCallNeverCached() throws IOException {
        KillSwitch killSwitch = new KillSwitch(dir);
        assertThat(killSwitch.isActive()).isFalse();

        Files.createFile(killSwitch.path());
        assertThat(killSwitch.isActive()).isTrue();

        Files.delete(killSwitch.path());
        assertThatNoException().isThrownBy(killSwitch::check);
    }

    @Test
    void pathComesFromLlmixStateDir() {
        KillSwitch killSwitch = KillSwitch.inStateDir(null, Map.of("LLMIX_STATE_DIR", "/x")::get);

        assertThat(killSwitch.path()).isEqualTo(Path.of("/x/killswitch"));
    }

    @Test
    void pathComesFromXdgStateHome() {
        KillSwitch killSwitch = KillSwitch.inStateDir(null, Map.of("XDG_STATE_HOME", "/s")::get);

        assertThat(killSwitch.path()).isEqualTo(Path.of("/s/llmix/killswitch"));
    }

    @Test
    void pathDefaultsToUserHomeLocalState() {
        KillSwitch killSwitch = KillSwitch.inStateDir(null, name -> null);

        assertThat(killSwitch.path())
                .isEqualTo(Path.of(System.getProperty("user.home"), ".local/state/llmix/killswitch"));
    }

    @Test
    void explicitDirectoryHoldsTheFileDirectly() {
        assertThat(KillSwitch.inStateDir(dir, Map.of("LLMIX_STATE_DIR", "/x")::get).path())
                .isEqualTo(dir.resolve("killswitch"));
    }

    @Test
    void unreadableDirectoryIsAnIoErrorNotInactive() throws IOException {
        Path locked = Files.createDirectory(dir.resolve("locked"));
        Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("---------"));
        try {
            assumeTrue(!canList(locked), "running with permission-bypassing privileges (root)");
            KillSwitch killSwitch = new KillSwitch(locked);

            assertThatThrownBy(killSwitch::check)
                    .isInstanceOf(UncheckedIOException.class)
                    .hasCauseInstanceOf(AccessDeniedException.class);
            assertThatThrownBy(killSwitch::isActive).isInstanceOf(UncheckedIOException.class);
        } finally {
            Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("rwx------"));
        }
    }

    @Test
    void stateDirectoryThatIsAFileIsAnIoErrorNotInactive() throws IOException {
        Path notADirectory = Files.createFile(dir.resolve("plain-file"));
        KillSwitch killSwitch = new KillSwitch(notADirectory);

        assertThatThrownBy(killSwitch::check)
                .isInstanceOf(UncheckedIOException.class)
                .hasCauseInstanceOf(FileSystemException.class);
        assertThatThrownBy(killSwitch::status).isInstanceOf(UncheckedIOException.class);
    }

    @Test
    void stateDirectoryReplacedByAFileIsReportedWithinASecond() throws Exception {
        Path stateDir = Files.createDirectory(dir.resolve("state"));
        KillSwitch killSwitch = new KillSwitch(stateDir);
        killSwitch.check();
        Files.delete(stateDir);
        Files.createFile(stateDir);

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
        UncheckedIOException reported = null;
        while (reported == null && System.nanoTime() < deadline) {
            try {
                killSwitch.check();
                Thread.sleep(50);
            } catch (UncheckedIOException e) {
                reported = e;
            }
        }
        assertThat(reported).as("an unusable state directory must not read as 'inactive' for long").isNotNull()
                .hasCauseInstanceOf(FileSystemException.class);
    }

    @Test
    void engageCreatesTheDirectoryAndRecordsReasonAndTime() {
        KillSwitch killSwitch = new KillSwitch(dir.resolve("a/b"), () -> NOW);

        killSwitch.engage("provider outage");

        assertThat(killSwitch.isActive()).isTrue();
        assertThat(killSwitch.status())
                .isEqualTo(new KillSwitchStatus(true, dir.resolve("a/b/killswitch"), "provider outage", NOW));
    }

    @Test
    void engagedSwitchIsSeenByAnotherInstance() {
        new KillSwitch(dir).engage("stop");

        assertThatThrownBy(new KillSwitch(dir)::check).isInstanceOf(KillSwitchActiveException.class);
    }

    @Test
    void engageWritesReasonLineThenInstantLine() throws IOException {
        new KillSwitch(dir, () -> NOW).engage("stop");

        assertThat(Files.readString(dir.resolve("killswitch"))).isEqualTo("stop\n2026-01-01T00:00:00Z\n");
    }

    @Test
    void engagingAgainReplacesReasonAndLeavesNoTemporaryFiles() throws IOException {
        Instant later = NOW.plusSeconds(60);
        new KillSwitch(dir, () -> NOW).engage("first");
        new KillSwitch(dir, () -> later).engage("second");

        assertThat(new KillSwitch(dir).status().reason()).isEqualTo("second");
        assertThat(new KillSwitch(dir).status().since()).isEqualTo(later);
        assertThat(listNames(dir)).containsExactly("killswitch");
    }

    @Test
    void reasonIsMadeSingleLineAndTrimmed() {
        KillSwitch killSwitch = new KillSwitch(dir);

        killSwitch.engage("  line one\nline two\r\tend\u2028x\u0000 ");

        assertThat(killSwitch.status().reason()).isEqualTo("line one line two  end x");
    }

    @Test
    void reasonIsCappedWithoutSplittingASurrogatePair() {
        KillSwitch killSwitch = new KillSwitch(dir);

        killSwitch.engage("r".repeat(KillSwitch.MAX_REASON_LENGTH - 1) + "\uD83D\uDE00tail");
        assertThat(killSwitch.status().reason()).isEqualTo("r".repeat(KillSwitch.MAX_REASON_LENGTH - 1));

        killSwitch.engage("x".repeat(10_000));
        assertThat(killSwitch.status().reason()).hasSize(KillSwitch.MAX_REASON_LENGTH);
    }

    @Test
    void blankReasonIsReportedAsNull() {
        KillSwitch killSwitch = new KillSwitch(dir, () -> NOW);

        killSwitch.engage(" \n ");

        assertThat(killSwitch.status()).isEqualTo(new KillSwitchStatus(true, killSwitch.path(), null, NOW));
    }

    @Test
    void touchedFileIsActiveWithoutReasonSinceItsModificationTime() throws IOException {
        Path file = Files.createFile(dir.resolve("killswitch"));
        Instant mtime = Instant.parse("2025-06-01T12:00:00Z");
        Files.setLastModifiedTime(file, FileTime.from(mtime));

        assertThat(new KillSwitch(dir).status()).isEqualTo(new KillSwitchStatus(true, file, null, mtime));
    }

    @Test
    void foreignContentIsReadTolerantly() throws IOException {
        Path file = dir.resolve("killswitch");
        Files.write(file, new byte[] {'o', 'p', 's', '\n', 'n', 'o', 't', ' ', 'a', ' ', 'd', 'a', 't', 'e', '\n',
            (byte) 0xFF, (byte) 0xFE});
        Instant mtime = Instant.parse("2025-06-01T12:00:00Z");
        Files.setLastModifiedTime(file, FileTime.from(mtime));

        assertThat(new KillSwitch(dir).status()).isEqualTo(new KillSwitchStatus(true, file, "ops", mtime));
    }

    @Test
    void directorySwitchReportsActiveWithoutReason() throws IOException {
        Path switchDir = Files.createDirectory(dir.resolve("killswitch"));

        KillSwitchStatus status = new KillSwitch(dir).status();

        assertThat(status.active()).isTrue();
        assertThat(status.reason()).isNull();
        assertThat(status.since()).isEqualTo(Files.getLastModifiedTime(switchDir).toInstant());
    }

    @Test
    void statusOfReleasedSwitchIsInactive() {
        KillSwitch killSwitch = new KillSwitch(dir);

        assertThat(killSwitch.status()).isEqualTo(new KillSwitchStatus(false, killSwitch.path(), null, null));
    }

    @Test
    void releaseDeletesTheFileAndIsIdempotent() {
        KillSwitch killSwitch = new KillSwitch(dir);
        killSwitch.engage("stop");

        killSwitch.release();
        killSwitch.release();

        assertThat(killSwitch.isActive()).isFalse();
        assertThatNoException().isThrownBy(new KillSwitch(dir.resolve("missing"))::release);
    }

    @Test
    void concurrentEngagesAlwaysLeaveOneWellFormedFile() throws Exception {
        int threads = 64;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        AtomicInteger malformed = new AtomicInteger();
        List<Future<?>> futures = new ArrayList<>();
        try {
            for (int t = 0; t < threads; t++) {
                String reason = "reason-" + t;
                futures.add(pool.submit(() -> {
                    start.await();
                    KillSwitch killSwitch = new KillSwitch(dir, InstantSource.system());
                    for (int i = 0; i < 10; i++) {
                        killSwitch.engage(reason);
                        KillSwitchStatus status = killSwitch.status();
                        if (!status.active() || status.reason() == null || !status.reason().startsWith("reason-")) {
                            malformed.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : futures) {
                f.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(malformed).hasValue(0);
        assertThat(listNames(dir)).containsExactly("killswitch");
    }

    private static boolean canList(Path directory) {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
            return entries.iterator() != null;
        } catch (IOException e) {
            return false;
        }
    }

    private static List<String> listNames(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
