package dev.llmix.config.registry;

import dev.llmix.config.mda.Dsse;
import dev.llmix.internal.json.Jcs;
import dev.llmix.internal.config.LlmConfigJson;
import dev.llmix.config.mda.LlmixProjectValidator;
import dev.llmix.config.mda.MdaIntegrity;
import dev.llmix.config.mda.MdaLoadOptions;
import dev.llmix.config.mda.MdaPresetLoader;
import dev.llmix.config.mda.MdaSourceLoader;
import dev.llmix.config.mda.MdaTestSupport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Builds small published registries by hand, following config-registry.md §8.1 (the Java binding has no publisher):
 * sources, resolved JSON, manifest, pointer and an Ed25519-signed root made with the spec's test key.
 */
final class RegistryBuilder {

    static final String REV_A = "2026-05-10T12-00-00Z_0a1b2c3d";
    static final String REV_B = "r2";
    static final String ROOT_SIGNER = "did-web:registry.example.com";
    static final String ROOT_KEY_ID = "did:web:registry.example.com#root";

    private final Path root;

    RegistryBuilder(Path root) {
        this.root = root;
    }

    Revision revision(String revision) {
        return new Revision(revision);
    }

    /** Writes the pretty pointer {manifest_sha256, revision} and returns its bytes. */
    byte[] pointTo(String revision, String manifestSha256) {
        byte[] bytes = utf8(Jcs.pretty(pointer(revision, manifestSha256)));
        write(root.resolve("current.json"), bytes);
        return bytes;
    }

    static Map<String, Object> pointer(String revision, String manifestSha256) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("manifest_sha256", manifestSha256);
        p.put("revision", revision);
        return p;
    }

    /** One revision under construction. */
    final class Revision {
        final String revision;
        String publishedAt = "2026-05-10T12:00:00.000Z";
        final Map<String, byte[][]> presets = new LinkedHashMap<>();
        @Nullable String manifestSha256;

        Revision(String revision) {
            this.revision = revision;
        }

        Revision publishedAt(String value) {
            publishedAt = value;
            return this;
        }

        /** A preset with explicit source bytes and resolved JSON text. */
        Revision preset(String id, byte[] source, String resolvedJson) {
            presets.put(id, new byte[][] {source, utf8(resolvedJson)});
            return this;
        }

        /** A preset whose resolved JSON is the projection of the source, rendered pretty. */
        Revision preset(String id, Path sourceFile) {
            byte[] source = readAll(sourceFile);
            var mda = MdaSourceLoader.load(source, id, MdaLoadOptions.DEFAULTS, LlmixProjectValidator.INSTANCE);
            return preset(id, source, LlmConfigJson.writePretty(MdaPresetLoader.project(mda.frontmatter(), id)));
        }

        Path dir() {
            return root.resolve("compiled").resolve(revision);
        }

        /** Writes artifacts and the manifest; returns the manifest digest. */
        String write() {
            Map<String, Object> entries = new LinkedHashMap<>();
            for (Map.Entry<String, byte[][]> e : presets.entrySet()) {
                String sourcePath = "source/" + e.getKey() + ".mda";
                String resolvedPath = "resolved/" + e.getKey() + ".json";
                RegistryBuilder.write(dir().resolve(sourcePath), e.getValue()[0]);
                RegistryBuilder.write(dir().resolve(resolvedPath), e.getValue()[1]);
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("resolved_path", resolvedPath);
                entry.put("resolved_sha256", MdaIntegrity.sha256Hex(e.getValue()[1]));
                entry.put("source_path", sourcePath);
                entry.put("source_sha256", MdaIntegrity.sha256Hex(e.getValue()[0]));
                entries.put(e.getKey(), entry);
            }
            Map<String, Object> manifest = new LinkedHashMap<>();
            manifest.put("presets", entries);
            manifest.put("published_at", publishedAt);
            manifest.put("revision", revision);
            manifest.put("schema_version", 1);
            byte[] bytes = utf8(Jcs.pretty(manifest));
            RegistryBuilder.write(dir().resolve("manifest.json"), bytes);
            manifestSha256 = MdaIntegrity.sha256Hex(bytes);
            return manifestSha256;
        }

        /** The root payload with files in code-point order of their paths. */
        Map<String, Object> payload() {
            List<Map<String, Object>> files = new ArrayList<>();
            for (Map.Entry<String, byte[][]> e : presets.entrySet()) {
                files.add(file("compiled/" + revision + "/resolved/" + e.getKey() + ".json", "resolved",
                        e.getValue()[1]));
                files.add(file("compiled/" + revision + "/source/" + e.getKey() + ".mda", "source", e.getValue()[0]));
            }
            files.sort((a, b) -> ((String) a.get("path")).compareTo((String) b.get("path")));
            return payload(files);
        }

        Map<String, Object> payload(List<Map<String, Object>> files) {
            String manifest = java.util.Objects.requireNonNull(manifestSha256, "write() first");
            Map<String, Object> current = new LinkedHashMap<>();
            current.put("manifest_sha256", manifest);
            current.put("path", "current.json");
            current.put("revision", revision);
            current.put("sha256", MdaIntegrity.sha256Hex(utf8(Jcs.pretty(pointer(revision, manifest)))));
            Map<String, Object> payload = new LinkedHashMap<>();
            payload.put("current", current);
            payload.put("files", files);
            payload.put("manifest", Map.of("path", "compiled/" + revision + "/manifest.json", "sha256", manifest));
            payload.put("published_at", publishedAt);
            payload.put("revision", revision);
            payload.put("schema", "llmix.config-registry.root");
            payload.put("schema_version", 1);
            return payload;
        }

        /** Signs the default payload and writes registry-root.json; returns its bytes. */
        byte[] sign() {
            return writeRoot(payload());
        }

        byte[] writeRoot(Map<String, Object> payload) {
            byte[] bytes = utf8(Jcs.pretty(envelope(payload)));
            RegistryBuilder.write(dir().resolve("registry-root.json"), bytes);
            return bytes;
        }

        /** Writes the pointer to this revision. */
        byte[] activate() {
            return pointTo(revision, java.util.Objects.requireNonNull(manifestSha256, "write() first"));
        }
    }

    static Map<String, Object> file(String path, String role, byte[] content) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("path", path);
        f.put("role", role);
        f.put("sha256", MdaIntegrity.sha256Hex(content));
        return f;
    }

    /** A signed envelope over {@code payload} (files kept in the given order). */
    static Map<String, Object> envelope(Map<String, Object> payload) {
        String canonical = Jcs.canonicalize(payload);
        String payloadSha = MdaIntegrity.sha256Hex(utf8(canonical));
        String type = "application/vnd.snoai.llmix.registry-root+json";
        Map<String, Object> sig = new LinkedHashMap<>();
        sig.put("algorithm", "ed25519");
        sig.put("key-id", ROOT_KEY_ID);
        sig.put("payload-digest", "sha256:" + payloadSha);
        sig.put("payload-type", type);
        sig.put("signature", MdaTestSupport.signEd25519(Dsse.pae(type, utf8(canonical))));
        sig.put("signer", ROOT_SIGNER);
        Map<String, Object> envelope = new LinkedHashMap<>();
        envelope.put("integrity", Map.of("algorithm", "sha256", "digest", "sha256:" + payloadSha));
        envelope.put("payload", payload);
        envelope.put("payload_sha256", payloadSha);
        envelope.put("schema", "llmix.config-registry.root-envelope");
        envelope.put("schema_version", 1);
        envelope.put("signatures", List.of(sig));
        return envelope;
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] readAll(Path p) {
        try {
            return Files.readAllBytes(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void write(Path p, byte[] bytes) {
        try {
            Files.createDirectories(p.getParent());
            Files.write(p, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
