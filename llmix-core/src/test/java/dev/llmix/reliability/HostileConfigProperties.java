package dev.llmix.reliability;

import dev.llmix.config.mda.MdaYaml;
import dev.llmix.config.ConfigNotFoundException;
import dev.llmix.config.InvalidConfigException;
import dev.llmix.internal.json.Jcs;
import dev.llmix.config.LlmConfigException;
import dev.llmix.internal.config.LlmConfigJson;
import dev.llmix.config.mda.LlmixProjectValidator;
import dev.llmix.config.mda.MdaIntegrity;
import dev.llmix.config.mda.MdaLoadOptions;
import dev.llmix.config.mda.MdaPresetLoader;
import dev.llmix.config.mda.MdaSource;
import dev.llmix.config.mda.MdaSourceLoader;
import dev.llmix.config.registry.ConfigRegistryManager;
import dev.llmix.testsupport.Fixtures;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import tools.jackson.databind.json.JsonMapper;

/**
 * Property-based hostile input for the configuration readers (jqwik; 14,000 generated cases per run): byte-mutated
 * and structurally corrupted {@code .mda} presets, registry resolved-config JSON, and whole registries (pointer and
 * manifest) opened end to end. Every case must finish within 5 s and either load or fail with the allowed LLMix type:
 * {@link InvalidConfigException} (which includes {@code MdaConfigException}) for file content, any
 * {@link LlmConfigException} for a registry (a corrupted manifest may also name missing or escaping paths).
 */
class HostileConfigProperties {

    private static final long LIMIT_MS = 5_000;
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final List<byte[]> MDA = readAll(Fixtures.projectFixtures().resolve("mda/valid"), ".mda");
    private static final byte[] RESOLVED = read(Fixtures.projectFixtures()
            .resolve("registry/compiled/r2/resolved/chat/reply.json"));
    private static final MdaLoadOptions INTEGRITY = MdaLoadOptions.builder().verifyIntegrity(true).build();

    private static Path registry;

    // --- .mda -------------------------------------------------------------------------------------------------------

    @Provide
    Arbitrary<List<Mutations.Mutation>> edits() {
        return Mutations.mutations();
    }

    @Provide
    Arbitrary<Integer> mdaIndex() {
        return Arbitraries.integers().between(0, MDA.size() - 1);
    }

    @Property(tries = 4_000)
    void mutatedMdaBytesLoadOrFailTyped(@ForAll("mdaIndex") int file, @ForAll("edits") List<Mutations.Mutation> edits,
            @ForAll boolean verifyIntegrity) {
        byte[] bytes = Mutations.apply(MDA.get(file), edits);
        MdaLoadOptions options = verifyIntegrity ? INTEGRITY : MdaLoadOptions.DEFAULTS;
        Hostile.expectTyped("mutated .mda " + edits, LIMIT_MS, () -> loadMda(bytes, options),
                InvalidConfigException.class);
    }

    @Property(tries = 3_000)
    void structurallyCorruptedMdaLoadsOrFailsTyped(@ForAll("mdaIndex") int file, @ForAll long seed) {
        String text = new String(MDA.get(file), StandardCharsets.UTF_8);
        int end = text.indexOf("\n---", 4);
        Map<String, ?> frontmatter = MdaYaml.parseFrontmatter(text.substring(4, end + 1), "fixture");
        Map<String, ?> corrupted = Mutations.plant(frontmatter, new Random(seed));
        // JSON is YAML 1.2 flow syntax: the corrupted document goes back between the fences as it is.
        byte[] bytes = ("---\n" + JSON.writeValueAsString(corrupted) + "\n---\n# Body\n")
                .getBytes(StandardCharsets.UTF_8);
        Hostile.expectTyped("corrupted .mda (seed " + seed + ")", LIMIT_MS, () -> loadMda(bytes,
                MdaLoadOptions.DEFAULTS), InvalidConfigException.class);
    }

    private static Object loadMda(byte[] bytes, MdaLoadOptions options) {
        MdaSource src = MdaSourceLoader.load(bytes, "fuzz.mda", options, LlmixProjectValidator.INSTANCE);
        return MdaPresetLoader.project(src.frontmatter(), "fuzz.mda");
    }

    // --- registry resolved JSON -------------------------------------------------------------------------------------

    @Property(tries = 3_000)
    void mutatedResolvedJsonLoadsOrFailsTyped(@ForAll("edits") List<Mutations.Mutation> edits) {
        byte[] bytes = Mutations.apply(RESOLVED, edits);
        Hostile.expectTyped("mutated resolved JSON " + edits, LIMIT_MS, () -> LlmConfigJson.read(bytes, "fuzz.json"),
                InvalidConfigException.class);
    }

    @Property(tries = 3_000)
    void structurallyCorruptedResolvedJsonLoadsOrFailsTyped(@ForAll long seed) {
        @SuppressWarnings("unchecked")
        Map<String, ?> doc = JSON.readValue(RESOLVED, Map.class);
        byte[] bytes = JSON.writeValueAsBytes(Mutations.plant(doc, new Random(seed)));
        Hostile.expectTyped("corrupted resolved JSON (seed " + seed + ")", LIMIT_MS,
                () -> LlmConfigJson.read(bytes, "fuzz.json"), InvalidConfigException.class);
    }

    // --- whole registry ---------------------------------------------------------------------------------------------

    @Property(tries = 1_000)
    void registryWithACorruptedManifestOrPointerOpensOrFailsTyped(@ForAll long seed,
            @ForAll("edits") List<Mutations.Mutation> edits) throws IOException {
        Path root = registry();
        Random rnd = new Random(seed);
        Path current = root.resolve("current.json");
        @SuppressWarnings("unchecked")
        Map<String, Object> pointer = JSON.readValue(read(Fixtures.projectFixtures().resolve("registry/current.json")),
                Map.class);
        String revision = (String) pointer.get("revision");
        Path manifestFile = root.resolve("compiled").resolve(revision).resolve("manifest.json");
        byte[] original = read(Fixtures.projectFixtures().resolve("registry/compiled").resolve(revision)
                .resolve("manifest.json"));
        byte[] manifest;
        byte[] pointerBytes;
        switch (rnd.nextInt(3)) {
            case 0: { // manifest corrupted structurally; the pointer follows it, so the parser is reached
                @SuppressWarnings("unchecked")
                Map<String, ?> m = JSON.readValue(original, Map.class);
                manifest = Jcs.pretty(Mutations.plant(m, rnd)).getBytes(StandardCharsets.UTF_8);
                pointerBytes = pointerTo(revision, manifest);
                break;
            }
            case 1: // manifest mutated byte-wise; the pointer follows it
                manifest = Mutations.apply(original, edits);
                pointerBytes = pointerTo(revision, manifest);
                break;
            default: // the pointer itself mutated
                manifest = original;
                pointerBytes = Mutations.apply(pointerTo(revision, original), edits);
        }
        Files.write(manifestFile, manifest);
        Files.write(current, pointerBytes);
        Hostile.expectTyped("corrupted registry (seed " + seed + ", " + edits + ")", LIMIT_MS, () -> {
            try (ConfigRegistryManager m = ConfigRegistryManager.open(root)) {
                return m.availablePresets();
            }
        }, LlmConfigException.class);
    }

    private static byte[] pointerTo(String revision, byte[] manifest) {
        return Jcs.pretty(Map.of("manifest_sha256", MdaIntegrity.sha256Hex(manifest), "revision", revision))
                .getBytes(StandardCharsets.UTF_8);
    }

    private static synchronized Path registry() throws IOException {
        if (registry == null) {
            Path src = Fixtures.projectFixtures().resolve("registry");
            Path dst = Files.createTempDirectory("llmix-hostile-registry");
            try (Stream<Path> files = Files.walk(src)) {
                for (Path p : (Iterable<Path>) files::iterator) {
                    Path target = dst.resolve(src.relativize(p).toString());
                    if (Files.isDirectory(p)) {
                        Files.createDirectories(target);
                    } else {
                        Files.copy(p, target);
                    }
                }
            }
            registry = dst;
        }
        return registry;
    }

    @AfterContainer
    static void deleteRegistry() throws IOException {
        if (registry == null) {
            return;
        }
        try (Stream<Path> files = Files.walk(registry)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
        registry = null;
    }

    // --- fixtures ---------------------------------------------------------------------------------------------------

    private static List<byte[]> readAll(Path dir, String suffix) {
        try (Stream<Path> files = Files.walk(dir)) {
            List<byte[]> out = new ArrayList<>();
            files.filter(p -> p.toString().endsWith(suffix)).sorted().forEach(p -> out.add(read(p)));
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] read(Path p) {
        try {
            return Files.readAllBytes(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unused")
    private static final Class<?> NOT_FOUND = ConfigNotFoundException.class;
}
