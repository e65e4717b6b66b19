package dev.llmix.internal.resilience;

import dev.llmix.internal.EcmaScript;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLockInterruptionException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Cross-process mutual exclusion for the short key-pool section of an attempt, switched on by the
 * {@code LLM_GLOBAL_CONCURRENCY} environment variable (its number is not used; it only enables the lock). Processes of
 * this binding using the same lock file exclude each other; other bindings use incompatible mechanisms.
 *
 * <p>{@link #acquire()} first takes a fair in-process lock, shared by every instance in this JVM that uses the same
 * path (a JVM may hold only one OS lock per file), then an exclusive {@link FileChannel#lock()} on the file. The
 * channel is opened per acquisition and closed on release, so nothing stays open between calls. Hold it for
 * microseconds, never across a network call. Reentrant for the holding thread.
 */
public final class GlobalConcurrencyLock implements AutoCloseable {

    /** The enabling environment variable. */
    public static final String ENV_VAR = "LLM_GLOBAL_CONCURRENCY";

    /** Name of the lock file inside the state directory. */
    public static final String FILE_NAME = "llmix.lock";

    private static final GlobalConcurrencyLock DISABLED = new GlobalConcurrencyLock(null);

    /** One holder per lock file in this JVM: the OS lock belongs to the process, not to an instance. */
    private static final ConcurrentHashMap<Path, Holder> HOLDERS = new ConcurrentHashMap<>();

    private final @Nullable Path path;
    /** {@link #path} made absolute and normalised: the file actually opened, and the key of its holder. */
    private final @Nullable Path file;
    private final @Nullable Holder holder;
    private volatile boolean closed;

    private GlobalConcurrencyLock(@Nullable Path path) {
        this.path = path;
        this.file = path == null ? null : path.toAbsolutePath().normalize();
        this.holder = file == null ? null : HOLDERS.computeIfAbsent(file, p -> new Holder());
    }

    /**
     * Reads and validates {@code LLM_GLOBAL_CONCURRENCY}: unset or blank ⇒ {@link #disabled()}; otherwise, after
     * trimming, one or more ASCII digits with a value of at least 1 ⇒ a lock on {@code <stateDir>/llmix.lock}.
     *
     * @throws IllegalArgumentException {@code LLM_GLOBAL_CONCURRENCY must be a positive integer, got "<raw value>"}
     */
    public static GlobalConcurrencyLock fromEnvironment(Function<String, @Nullable String> env, Path stateDir) {
        Objects.requireNonNull(env, "env");
        Objects.requireNonNull(stateDir, "stateDir");
        String raw = env.apply(ENV_VAR);
        if (raw == null) {
            return DISABLED;
        }
        String value = EcmaScript.trim(raw);
        if (value.isEmpty()) {
            return DISABLED;
        }
        if (!isPositiveInteger(value)) {
            throw new IllegalArgumentException(ENV_VAR + " must be a positive integer, got \"" + raw + "\"");
        }
        return atPath(stateDir.resolve(FILE_NAME));
    }

    /** {@link #fromEnvironment(Function, Path)} against the process environment. */
    public static GlobalConcurrencyLock fromEnvironment(Path stateDir) {
        return fromEnvironment(System::getenv, stateDir);
    }

    /** An enabled lock on an explicit lock file, whatever the environment says. */
    public static GlobalConcurrencyLock atPath(Path lockFile) {
        return new GlobalConcurrencyLock(Objects.requireNonNull(lockFile, "lockFile"));
    }

    /** The lock that does nothing: {@link #acquire()} and {@link #release()} return at once. */
    public static GlobalConcurrencyLock disabled() {
        return DISABLED;
    }

    /** Whether acquiring actually locks anything. */
    public boolean enabled() {
        return path != null;
    }

    /** The lock file, or {@code null} when disabled. */
    public @Nullable Path path() {
        return path;
    }

    /**
     * Blocks until this thread holds the lock: creates missing parent directories and the file, then locks in-process
     * and across processes. No-op when disabled.
     *
     * @throws UncheckedIOException when the file cannot be created or locked; an interrupted wait ends with a
     *     {@link FileLockInterruptionException} cause and the thread's interrupt status set
     * @throws IllegalStateException after {@link #close()}
     */
    public void acquire() {
        Path file = this.file;
        Holder h = holder;
        if (file == null || h == null) {
            return;
        }
        if (closed) {
            throw new IllegalStateException("GlobalConcurrencyLock is closed");
        }
        try {
            h.lock.lockInterruptibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UncheckedIOException(new FileLockInterruptionException());
        }
        if (h.lock.getHoldCount() > 1) {
            return;
        }
        FileChannel channel = null;
        try {
            Path parent = file.getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            channel.lock();
            h.channel = channel;
        } catch (IOException | RuntimeException e) {
            closeQuietly(channel, e);
            h.lock.unlock();
            throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
        }
    }

    /** Releases one hold of this thread; the last one unlocks the file. No-op when disabled or not held by this thread. */
    public void release() {
        Holder h = holder;
        if (h == null || !h.lock.isHeldByCurrentThread()) {
            return;
        }
        try {
            if (h.lock.getHoldCount() == 1) {
                FileChannel channel = h.channel;
                h.channel = null;
                if (channel != null) {
                    try {
                        channel.close(); // releases the OS lock
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
            }
        } finally {
            h.lock.unlock();
        }
    }

    /** Whether the calling thread holds the lock (always false when disabled). */
    public boolean isHeldByCurrentThread() {
        Holder h = holder;
        return h != null && h.lock.isHeldByCurrentThread();
    }

    /** Number of threads of this JVM waiting for the lock file (for tests and diagnostics). */
    int queueLength() {
        Holder h = holder;
        return h == null ? 0 : h.lock.getQueueLength();
    }

    /**
     * Releases every hold of the calling thread and refuses later acquisitions through this instance. Other instances
     * on the same file keep working.
     */
    @Override
    public void close() {
        if (holder == null) {
            return;
        }
        closed = true;
        while (isHeldByCurrentThread()) {
            release();
        }
    }

    @Override
    public String toString() {
        return path == null ? "GlobalConcurrencyLock[disabled]" : "GlobalConcurrencyLock[" + path + "]";
    }

    private static boolean isPositiveInteger(String value) {
        boolean nonZero = false;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
            nonZero |= c != '0';
        }
        return nonZero;
    }

    private static void closeQuietly(@Nullable FileChannel channel, Exception primary) {
        if (channel == null) {
            return;
        }
        try {
            channel.close();
        } catch (IOException e) {
            primary.addSuppressed(e);
        }
    }

    /** The per-file state shared by every instance on that file in this JVM. */
    private static final class Holder {
        final ReentrantLock lock = new ReentrantLock(true);
        /** Open only while some thread holds {@link #lock}; guarded by it. */
        @Nullable FileChannel channel;
    }
}
