package dev.llmix.spring.autoconfigure;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/** Writes a small unsigned config registry (config-registry.md §8.1) and {@code source/} presets for tests. */
final class TestRegistry {

    static final String REVISION = "2026-05-10T12-00-00Z_0a1b2c3d";

    private TestRegistry() {
    }

    /** A resolved preset JSON for {@code provider}/{@code model} with the given caching strategy. */
    static String resolved(String provider, String model, String cachingStrategy) {
        return "{\n  \"caching\": {\n    \"strategy\": \"" + cachingStrategy + "\"\n  },\n  \"model\": \"" + model
                + "\",\n  \"provider\": \"" + provider + "\"\n}\n";
    }

    /** An editable {@code .mda} source preset for {@code provider}/{@code model} with the given caching strategy. */
    static String source(String name, String provider, String model, String cachingStrategy) {
        return "---\nname: " + name + "\ndescription: Test preset " + name + ".\nmetadata:\n  snoai-llmix:\n"
                + "    common:\n      provider: " + provider + "\n      model: " + model + "\n"
                + "    caching:\n      strategy: " + cachingStrategy + "\n---\n\n# " + name + "\n";
    }

    /** Publishes {@code presets} (id → resolved JSON) as revision {@link #REVISION} under {@code root}. */
    static Path publish(Path root, Map<String, String> presets) throws IOException {
        Path rev = root.resolve("compiled").resolve(REVISION);
        StringBuilder entries = new StringBuilder();
        for (Map.Entry<String, String> e : new TreeMap<>(presets).entrySet()) {
            String id = e.getKey();
            String name = id.substring(id.indexOf('/') + 1);
            String src = source(name, "openai", "unused", "disabled");
            String sourcePath = "source/" + id + ".mda";
            String resolvedPath = "resolved/" + id + ".json";
            write(rev.resolve(sourcePath), src);
            write(rev.resolve(resolvedPath), e.getValue());
            if (!entries.isEmpty()) {
                entries.append(",\n");
            }
            entries.append("    \"").append(id).append("\": {\n")
                    .append("      \"resolved_path\": \"").append(resolvedPath).append("\",\n")
                    .append("      \"resolved_sha256\": \"").append(sha256(e.getValue())).append("\",\n")
                    .append("      \"source_path\": \"").append(sourcePath).append("\",\n")
                    .append("      \"source_sha256\": \"").append(sha256(src)).append("\"\n")
                    .append("    }");
        }
        String manifest = "{\n  \"presets\": {\n" + entries + "\n  },\n  \"published_at\": \"2026-05-10T12:00:00.000Z\",\n"
                + "  \"revision\": \"" + REVISION + "\",\n  \"schema_version\": 1\n}\n";
        write(rev.resolve("manifest.json"), manifest);
        write(root.resolve("current.json"), "{\n  \"manifest_sha256\": \"" + sha256(manifest) + "\",\n  \"revision\": \""
                + REVISION + "\"\n}\n");
        return root;
    }

    /** Writes {@code source/<module>/<preset>.mda} under {@code root}. */
    static Path writeSource(Path root, String id, String mda) throws IOException {
        write(root.resolve("source").resolve(id + ".mda"), mda);
        return root;
    }

    private static void write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(
                    MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static Map<String, String> onePreset(String id, String provider, String model, String caching) {
        return Map.of(id, resolved(provider, model, caching));
    }
}
