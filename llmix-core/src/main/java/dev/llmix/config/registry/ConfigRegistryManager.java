package dev.llmix.config.registry;

import dev.llmix.internal.config.ConfigNames;
import dev.llmix.config.ConfigNotFoundException;
import dev.llmix.config.LlmConfig;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves presets from a published Config Registry and hot-switches revisions. Every {@link #getPreset} and
 * {@link #availablePresets} call re-reads {@code current.json} (a few dozen bytes); when it names another revision
 * (or manifest digest) the new revision is loaded and verified completely, then installed in one atomic step.
 * Readers never block and never see a mix of two revisions: they read one volatile, immutable state.
 *
 * <p>A revision that fails to load is never installed. In unsigned mode the failure is recorded and the previous
 * revision keeps serving (fail open); in signed mode the failure is recorded and rethrown to the caller while the
 * pointer names the bad revision (fail closed). The manager starts no thread unless a refresh interval is set, and
 * then owns one daemon thread that {@link #close()} stops.
 */
public final class ConfigRegistryManager implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ConfigRegistryManager.class);

    /** Everything a reader needs, swapped as a whole. */
    private record State(RegistryLoader.Snapshot active, Instant lastSuccessfulReloadAt,
            @Nullable Throwable lastReloadError, @Nullable Instant lastReloadFailureAt) {
    }

    private final Path root;
    private final ConfigRegistryOpenOptions options;
    private final RegistryLoader loader;
    private final Object loadLock = new Object();
    private volatile State state;
    private final @Nullable ScheduledExecutorService refresher;

    private ConfigRegistryManager(Path root, ConfigRegistryOpenOptions options,
            BiFunction<Path, String, byte[]> reader) {
        this.root = root;
        this.options = options;
        this.loader = new RegistryLoader(root, options.signedRoot(), reader);
        RegistryLoader.Snapshot first = loader.load(loader.readPointer());
        this.state = new State(first, options.clock().instant(), null, null);
        if (options.refreshInterval() != null) {
            long millis = Math.max(1, options.refreshInterval().toMillis());
            ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "llmix-config-registry-refresh");
                t.setDaemon(true);
                return t;
            });
            executor.scheduleWithFixedDelay(this::scheduledRefresh, millis, millis, TimeUnit.MILLISECONDS);
            this.refresher = executor;
        } else {
            this.refresher = null;
        }
    }

    /** Opens a registry in unsigned mode. */
    public static ConfigRegistryManager open(Path root) {
        return open(root, ConfigRegistryOpenOptions.DEFAULTS);
    }

    /**
     * Opens a registry: reads {@code current.json}, loads and verifies the revision it names, and installs it.
     *
     * @throws dev.llmix.config.LlmConfigException (a typed subclass) when the registry cannot be opened; no manager
     *                                             is returned
     */
    public static ConfigRegistryManager open(Path root, ConfigRegistryOpenOptions options) {
        return new ConfigRegistryManager(root.toAbsolutePath().normalize(), options, RegistryFiles::read);
    }

    /** For tests: open with a custom file reader (e.g. to count manifest reads). */
    static ConfigRegistryManager open(Path root, ConfigRegistryOpenOptions options,
            BiFunction<Path, String, byte[]> reader) {
        return new ConfigRegistryManager(root.toAbsolutePath().normalize(), options, reader);
    }

    /**
     * The preset {@code <module>/<preset>} of the active revision (after a pointer check).
     *
     * @throws dev.llmix.config.InvalidConfigException  for a malformed name (checked before any file access)
     * @throws dev.llmix.config.ConfigSecurityException for a name with path characters
     * @throws ConfigNotFoundException                  when the active revision has no such preset
     */
    public LlmConfig getPreset(String module, String preset) {
        ConfigNames.validateModule(module);
        ConfigNames.validatePreset(preset);
        refreshIfNeeded();
        RegistryLoader.Snapshot active = state.active();
        String id = module + "/" + preset;
        LlmConfig config = active.presets().get(id);
        if (config == null) {
            throw new ConfigNotFoundException("Preset not found in active Config Registry revision "
                    + active.revision() + ": " + id);
        }
        return config;
    }

    /** The preset ids of the active revision (after a pointer check), sorted. */
    public List<String> availablePresets() {
        refreshIfNeeded();
        return state.active().ids();
    }

    /** The revision being served. */
    public String activeRevision() {
        return state.active().revision();
    }

    /** The last reload failure, kept until the next successful switch. */
    public Optional<Throwable> lastReloadError() {
        return Optional.ofNullable(state.lastReloadError());
    }

    /** When the active revision was installed. */
    public Optional<Instant> lastSuccessfulReloadAt() {
        return Optional.of(state.lastSuccessfulReloadAt());
    }

    /** When the last reload failure happened. */
    public Optional<Instant> lastReloadFailureAt() {
        return Optional.ofNullable(state.lastReloadFailureAt());
    }

    /** A consistent view of the active revision and the reload history. */
    public ConfigRegistryStatus status() {
        State s = state;
        return new ConfigRegistryStatus(s.active().revision(), s.active().manifestSha256(), s.active().ids().size(),
                options.signedRoot() != null, s.lastSuccessfulReloadAt(), s.lastReloadFailureAt(),
                s.lastReloadError());
    }

    /** The registry root directory. */
    public Path root() {
        return root;
    }

    /**
     * Checks {@code current.json} now and switches if it changed; what every read does implicitly.
     *
     * @throws dev.llmix.config.LlmConfigException in signed mode when the pointer names a revision that fails
     */
    public void refresh() {
        refreshIfNeeded();
    }

    private void refreshIfNeeded() {
        RegistryLoader.Pointer pointer;
        try {
            pointer = loader.readPointer();
        } catch (RuntimeException e) {
            failed(e);
            return;
        }
        if (pointer.matches(state.active())) {
            return;
        }
        synchronized (loadLock) {
            for (int round = 0; round < 3; round++) {
                // re-read under the lock: the pointer read before waiting may be stale (another thread may have
                // switched meanwhile), and acting on it would roll the registry back
                try {
                    pointer = loader.readPointer();
                } catch (RuntimeException e) {
                    failed(e);
                    return;
                }
                State current = state;
                if (pointer.matches(current.active())) {
                    return;
                }
                RegistryLoader.Snapshot next;
                try {
                    next = loader.load(pointer);
                } catch (RuntimeException e) {
                    failed(e);
                    return;
                }
                state = new State(next, options.clock().instant(), null, null);
                LOG.info("Config Registry {} switched from revision {} to {}", root, current.active().revision(),
                        next.revision());
            }
        }
    }

    /** Records the failure; rethrows it in signed mode (fail closed). */
    private void failed(RuntimeException e) {
        synchronized (loadLock) {
            State s = state;
            state = new State(s.active(), s.lastSuccessfulReloadAt(), e, options.clock().instant());
        }
        if (options.signedRoot() != null) {
            throw e;
        }
    }

    private void scheduledRefresh() {
        try {
            refreshIfNeeded();
        } catch (RuntimeException e) {
            // already recorded; the scheduled thread must survive to try again
            LOG.debug("Config Registry {} background refresh failed: {}", root, e.getMessage());
        }
    }

    /** Stops the background refresh thread, if any. Reads keep working. */
    @Override
    public void close() {
        if (refresher != null) {
            refresher.shutdownNow();
        }
    }

    @Override
    public String toString() {
        return "ConfigRegistryManager[root=" + root + ", revision=" + activeRevision() + "]";
    }
}
