package dev.llmix.spring.autoconfigure;

import dev.llmix.cache.CacheStats;
import dev.llmix.config.LlmConfig;
import dev.llmix.config.mda.MdaPresetLoader;
import dev.llmix.config.registry.ConfigRegistryManager;
import dev.llmix.keys.KeyPool;
import dev.llmix.pipeline.CallPipeline;
import dev.llmix.resilience.KillSwitch;
import dev.llmix.internal.http.DisplayUrls;
import dev.llmix.spring.autoconfigure.diagnostics.InvalidPresetsException;
import dev.llmix.spring.autoconfigure.diagnostics.PresetProblem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.core.env.Environment;

/**
 * The start-up check of the auto-configured LLMix: validates every preset of the source root (unless
 * {@code llmix.config.validate-on-startup=false}) and that the enabled adapter serves each preset's provider, failing
 * start-up with {@link InvalidPresetsException}; warns about providers without an API key (keys may arrive later, so
 * this is not fatal; the {@code llmix} health component shows them {@code DOWN}); and logs one INFO line summarising
 * adapters, presets, cache and kill switch. No key or URL credential is ever logged.
 */
public final class LlmixStartupCheck implements SmartInitializingSingleton {

    private static final Logger log = LoggerFactory.getLogger(LlmixStartupCheck.class);

    private final LlmixProperties properties;
    private final Environment environment;
    /** Providers the dispatch serves (canonical name → base URL safe to show), empty with an own DispatchFunction. */
    private final Map<String, String> adapters;
    private final LlmixKeyPools keyPools;
    private final KillSwitch killSwitch;
    private final ObjectProvider<ConfigRegistryManager> registry;
    private final ObjectProvider<MdaPresetLoader> sourceDirectory;
    private final ObjectProvider<ResourcePresetSource> sourceResources;
    private final ObjectProvider<CallPipeline> pipeline;
    private volatile List<String> requiredProviders = List.of();
    private volatile int presetCount = -1;

    LlmixStartupCheck(LlmixProperties properties, Environment environment, Map<String, String> adapters,
            LlmixKeyPools keyPools, KillSwitch killSwitch, ObjectProvider<ConfigRegistryManager> registry,
            ObjectProvider<MdaPresetLoader> sourceDirectory, ObjectProvider<ResourcePresetSource> sourceResources,
            ObjectProvider<CallPipeline> pipeline) {
        this.properties = properties;
        this.environment = environment;
        this.adapters = Map.copyOf(adapters);
        this.keyPools = keyPools;
        this.killSwitch = killSwitch;
        this.registry = registry;
        this.sourceDirectory = sourceDirectory;
        this.sourceResources = sourceResources;
        this.pipeline = pipeline;
    }

    /**
     * The providers this application calls: those of the validated presets, else the enabled adapter's own provider;
     * empty when neither is known (e.g. the application's own {@code DispatchFunction} without validated presets).
     */
    public List<String> requiredProviders() {
        return requiredProviders;
    }

    /** How many presets were validated at start-up, or {@code -1} when validation did not run. */
    public int presetCount() {
        return presetCount;
    }

    @Override
    public void afterSingletonsInstantiated() {
        Set<String> providers = new LinkedHashSet<>();
        if (properties.getConfig().isValidateOnStartup()) {
            PresetValidation.Result result = PresetValidation.validate(candidates());
            List<PresetProblem> problems = new ArrayList<>(result.problems());
            if (!adapters.isEmpty()) {
                problems.addAll(PresetValidation.unservedProviders(result, adapters.keySet()));
            }
            if (!problems.isEmpty()) {
                throw new InvalidPresetsException(problems);
            }
            presetCount = result.presets().size();
            result.presets().values().stream().map(LlmConfig::provider).sorted().forEach(providers::add);
        }
        if (providers.isEmpty()) {
            providers.addAll(new java.util.TreeSet<>(adapters.keySet()));
        }
        requiredProviders = List.copyOf(providers);
        for (String provider : providers) {
            KeyPool pool = keyPools.pools().get(provider);
            if (pool == null || pool.aliveCount() == 0) {
                String prefix = dev.llmix.keys.KeyPools.envPrefix(provider);
                log.warn("LLMix: no API key for provider '{}'; its calls fail (CallFailureType.CONFIGURATION) and "
                        + "the llmix health component is DOWN until one is set: llmix.keys.{}, {}_API_KEY or {}_KEYS",
                        provider, provider, prefix, prefix);
            }
        }
        log.info("LLMix ready: {}; {}; cache {}; kill switch {} (state directory {})", adapterSummary(),
                presetSummary(), cacheSummary(), environment.getProperty("llmix.kill-switch.scope", "local")
                        .toLowerCase(Locale.ROOT), killSwitch.path().toAbsolutePath().getParent());
    }

    private List<PresetValidation.Candidate> candidates() {
        List<PresetValidation.Candidate> out = new ArrayList<>();
        MdaPresetLoader loader = sourceDirectory.getIfAvailable();
        if (loader != null) {
            out.addAll(directoryCandidates(loader));
        }
        ResourcePresetSource resources = sourceResources.getIfAvailable();
        if (resources != null) {
            for (ResourcePresetSource.PresetFile f : resources.list()) {
                out.add(new PresetValidation.Candidate(f.module() + "/" + f.preset(), f.location(), () -> {
                    try {
                        return resources.text(f);
                    } catch (RuntimeException e) {
                        return null;
                    }
                }, () -> resources.resolve(f.module(), f.preset())));
            }
        }
        ConfigRegistryManager manager = registry.getIfAvailable();
        if (manager != null) {
            for (String id : manager.availablePresets()) {
                int slash = id.indexOf('/');
                out.add(new PresetValidation.Candidate(id, manager.root() + " (revision " + manager.activeRevision()
                        + ") " + id, () -> null, () -> manager.getPreset(id.substring(0, slash),
                        id.substring(slash + 1))));
            }
        }
        return out;
    }

    /** Every {@code <module>/<preset>.mda} of the loader's directory, loaded as a call would load it. */
    static List<PresetValidation.Candidate> directoryCandidates(MdaPresetLoader loader) {
        List<PresetValidation.Candidate> out = new ArrayList<>();
        for (Path file : mdaFiles(loader.configDir())) {
            String module = file.getParent().getFileName().toString();
            String name = file.getFileName().toString();
            String preset = name.substring(0, name.length() - ".mda".length());
            out.add(new PresetValidation.Candidate(module + "/" + preset, file.toString(), () -> readOrNull(file),
                    () -> loader.loadConfigPreset(module, preset)));
        }
        return out;
    }

    /** {@code <dir>/<module>/<preset>.mda}, sorted; unreadable directories are left to the loader's errors. */
    private static List<Path> mdaFiles(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<Path> files = new ArrayList<>();
        try (Stream<Path> modules = Files.list(dir)) {
            for (Path module : modules.filter(Files::isDirectory).sorted().toList()) {
                try (Stream<Path> presets = Files.list(module)) {
                    presets.filter(p -> p.getFileName().toString().endsWith(".mda")).sorted().forEach(files::add);
                }
            }
        } catch (IOException e) {
            log.debug("LLMix: cannot list presets under {}: {}", dir, e.toString());
        }
        return files;
    }

    private static @Nullable String readOrNull(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private String adapterSummary() {
        if (adapters.isEmpty()) {
            return "dispatch by the application's DispatchFunction";
        }
        List<String> parts = new ArrayList<>();
        new java.util.TreeMap<>(adapters).forEach((name, url) -> parts.add(name + " adapter at " + url));
        return String.join(", ", parts);
    }

    private String presetSummary() {
        String count = presetCount < 0 ? "presets not validated" : presetCount + " preset" + (presetCount == 1 ? ""
                : "s");
        ResourcePresetSource resources = sourceResources.getIfAvailable();
        if (resources != null) {
            return count + " (source mode, " + resources.location() + ")";
        }
        MdaPresetLoader loader = sourceDirectory.getIfAvailable();
        if (loader != null) {
            return count + " (source mode, " + loader.configDir() + ")";
        }
        ConfigRegistryManager manager = registry.getIfAvailable();
        if (manager != null) {
            return count + " (registry mode, " + manager.root() + ", revision " + manager.activeRevision() + ")";
        }
        return "presets from the application's PresetResolver";
    }

    private String cacheSummary() {
        CallPipeline p = pipeline.getIfAvailable();
        CacheStats stats = p == null ? null : p.snapshot().cache();
        if (stats == null) {
            return "off";
        }
        return properties.getCache().getStrategy().wireName() + (stats.l2Enabled() ? " (L1 + Redis L2)" : " (L1)");
    }
}
