package dev.llmix.resilience;

import dev.llmix.internal.resilience.StateDirs;
import dev.llmix.internal.EcmaScript;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.time.InstantSource;
import java.time.format.DateTimeParseException;
import java.util.Objects;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The operator's emergency stop: while the file {@code <stateDir>/killswitch} exists (whatever its content or type),
 * every LLMix call using that state directory is refused. The file is looked at on every call and never cached, so
 * {@code touch} stops traffic and {@code rm} resumes it; other bindings only test its existence.
 *
 * <p>{@link #engage(String)} writes a small text file: the reason on the first line and the ISO-8601 instant on the
 * second. {@link #status()} reads it back tolerantly.
 */
public final class KillSwitch {

    /** Name of the kill switch file inside the state directory. */
    public static final String FILE_NAME = "killswitch";

    /** Longest reason kept by {@link #engage(String)}, in UTF-16 code units. */
    public static final int MAX_REASON_LENGTH = 500;

    /** Bytes of the file {@link #status()} reads at most; a hand-made file may be anything. */
    private static final int MAX_READ_BYTES = 4096;

    private final Path stateDir;
    private final Path path;
    private final InstantSource clock;
    /** How long a verified "state directory is searchable" result is trusted by the hot path. */
    private static final long DIR_RECHECK_NANOS = 1_000_000_000L;

    /** java.io views of the two paths for the allocation-free check; null off the default file system. */
    private final java.io.@Nullable File switchFile;
    private final java.io.@Nullable File stateDirFile;
    /** System.nanoTime() until which the state directory counts as verified; in the past means "verify now". */
    private volatile long dirTrustedUntil = System.nanoTime();

    /** A kill switch at {@code <stateDir>/killswitch}. */
    public KillSwitch(Path stateDir) {
        this(stateDir, InstantSource.system());
    }

    /** As {@link #KillSwitch(Path)}, with the clock that stamps {@link #engage(String)}. */
    public KillSwitch(Path stateDir, InstantSource clock) {
        this.stateDir = Objects.requireNonNull(stateDir, "stateDir");
        this.path = stateDir.resolve(FILE_NAME);
        this.clock = Objects.requireNonNull(clock, "clock");
        boolean defaultFs = stateDir.getFileSystem() == FileSystems.getDefault();
        this.switchFile = defaultFs ? path.toFile() : null;
        this.stateDirFile = defaultFs ? stateDir.toFile() : null;
    }

    /** A kill switch in the state directory resolved by {@link StateDirs#resolve(Path, Function)}. */
    public static KillSwitch inStateDir(@Nullable Path explicitDir, Function<String, @Nullable String> env) {
        return new KillSwitch(StateDirs.resolve(explicitDir, env));
    }

    /** A kill switch in the state directory resolved against the process environment. */
    public static KillSwitch inStateDir(@Nullable Path explicitDir) {
        return inStateDir(explicitDir, System::getenv);
    }

    /** The kill switch file. */
    public Path path() {
        return path;
    }

    /**
     * Refuses the call when the switch is engaged.
     *
     * @throws KillSwitchActiveException when the file exists
     * @throws UncheckedIOException when the file cannot be looked at (permission denied, a parent that is not a
     *     directory, I/O error): an unreadable switch must not silently let traffic through
     */
    public void check() {
        if (isActive()) {
            throw new KillSwitchActiveException(path);
        }
    }

    /**
     * Whether the switch is engaged; errors are classified as in {@link #check()}.
     *
     * @throws UncheckedIOException when the file cannot be looked at
     */
    public boolean isActive() {
        if (switchFile != null && stateDirFile != null) {
            // Hot path (every call): on JDK 17 an absent file read through NIO costs a NoSuchFileException with a
            // stack trace. java.io's stat reports "absent" without one; it cannot tell "absent" from "unreadable",
            // but when the state directory is a directory we may search, the only way the stat can fail is absence.
            // The switch file itself is looked at every time; the directory's accessibility is re-verified at most
            // once per DIR_RECHECK_NANOS, so an unreadable directory is still reported within that time.
            if (switchFile.exists()) {
                return true;
            }
            long now = System.nanoTime();
            if (now - dirTrustedUntil < 0) {
                return false;
            }
            if (stateDirFile.isDirectory() && stateDirFile.canExecute()) {
                dirTrustedUntil = now + DIR_RECHECK_NANOS;
                return false;
            }
        }
        return attributes() != null;
    }

    /**
     * Engages the switch: creates the state directory if needed and atomically writes the file with {@code reason}
     * (made single-line, trimmed and capped at {@value #MAX_REASON_LENGTH} characters) and the current instant.
     * Engaging an engaged switch replaces its reason and timestamp.
     *
     * @throws UncheckedIOException when the directory or the file cannot be written
     */
    public void engage(String reason) {
        Objects.requireNonNull(reason, "reason");
        String content = sanitizeReason(reason) + "\n" + clock.instant() + "\n";
        try {
            Files.createDirectories(stateDir);
            // A temp file in the same directory plus an atomic rename: readers never see a half-written switch.
            Path temp = Files.createTempFile(stateDir, "." + FILE_NAME + "-", ".tmp");
            try {
                Files.writeString(temp, content, StandardCharsets.UTF_8);
                Files.move(temp, path, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(temp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Releases the switch by deleting the file; releasing a released switch does nothing.
     *
     * @throws UncheckedIOException when the file exists and cannot be deleted
     */
    public void release() {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The switch's state with the reason and timestamp written by {@link #engage(String)}; a file from elsewhere is
     * active with a {@code null} reason and its modification time.
     *
     * @throws UncheckedIOException when the file cannot be looked at (as {@link #check()})
     */
    public KillSwitchStatus status() {
        BasicFileAttributes attrs = attributes();
        if (attrs == null) {
            return new KillSwitchStatus(false, path, null, null);
        }
        Instant mtime = attrs.lastModifiedTime().toInstant();
        if (!attrs.isRegularFile()) {
            return new KillSwitchStatus(true, path, null, mtime);
        }
        String content;
        try (InputStream in = Files.newInputStream(path)) {
            content = new String(in.readNBytes(MAX_READ_BYTES), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return new KillSwitchStatus(false, path, null, null);
        } catch (IOException e) {
            // Existence is what blocks traffic; an unreadable body only loses the details.
            return new KillSwitchStatus(true, path, null, mtime);
        }
        String[] lines = content.split("\r?\n", 3);
        String reason = sanitizeReason(lines[0]);
        Instant since = mtime;
        if (lines.length > 1) {
            try {
                since = Instant.parse(EcmaScript.trim(lines[1]));
            } catch (DateTimeParseException e) {
                // Not written by engage(): keep the modification time.
            }
        }
        return new KillSwitchStatus(true, path, reason.isEmpty() ? null : reason, since);
    }

    @Override
    public String toString() {
        return "KillSwitch[" + path + "]";
    }

    private @Nullable BasicFileAttributes attributes() {
        try {
            return Files.readAttributes(path, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Single line, control and line-separator characters replaced by spaces, trimmed, capped. */
    static String sanitizeReason(String reason) {
        StringBuilder sb = new StringBuilder(Math.min(reason.length(), MAX_REASON_LENGTH));
        for (int i = 0; i < reason.length(); i++) {
            char c = reason.charAt(i);
            sb.append(Character.isISOControl(c) || c == '\u2028' || c == '\u2029' ? ' ' : c);
        }
        String trimmed = EcmaScript.trim(sb.toString());
        if (trimmed.length() <= MAX_REASON_LENGTH) {
            return trimmed;
        }
        int end = MAX_REASON_LENGTH;
        if (Character.isHighSurrogate(trimmed.charAt(end - 1))) {
            end--;
        }
        return EcmaScript.trim(trimmed.substring(0, end));
    }
}
