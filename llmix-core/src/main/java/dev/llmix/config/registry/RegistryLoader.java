package dev.llmix.config.registry;

import dev.llmix.internal.config.RevisionIds;
import dev.llmix.config.ConfigNotFoundException;
import dev.llmix.config.InvalidConfigException;
import dev.llmix.config.LlmConfig;
import dev.llmix.internal.config.LlmConfigJson;
import dev.llmix.internal.config.PresetFieldsNotApplied;
import dev.llmix.internal.json.StrictJson;
import dev.llmix.config.mda.MdaIntegrity;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiFunction;
import org.jspecify.annotations.Nullable;

/** Reads the pointer and loads one revision all-or-nothing. */
final class RegistryLoader {

    static final String CURRENT = "current.json";
    static final String COMPILED = "compiled";
    static final String MANIFEST = "manifest.json";

    /** The pointer as read: its revision, the manifest digest to expect, and the raw bytes (bound by a signed root). */
    record Pointer(String revision, String manifestSha256, byte[] bytes) {
        boolean matches(Snapshot s) {
            return revision.equals(s.revision()) && manifestSha256.equals(s.manifestSha256());
        }
    }

    /** One manifest entry. */
    record Entry(String id, String sourcePath, String sourceSha256, String resolvedPath, String resolvedSha256) {
    }

    /** The validated manifest. */
    record Manifest(String revision, String publishedAt, List<Entry> entries) {
    }

    /** An installed revision: immutable; presets sorted by id. */
    record Snapshot(String revision, String manifestSha256, Map<String, LlmConfig> presets, List<String> ids) {
    }

    private final Path root;
    private final @Nullable RegistryRootVerificationOptions signedRoot;
    /** Reads a file; replaceable so tests can count reads. */
    private final BiFunction<Path, String, byte[]> reader;

    RegistryLoader(Path root, @Nullable RegistryRootVerificationOptions signedRoot,
            BiFunction<Path, String, byte[]> reader) {
        this.root = root;
        this.signedRoot = signedRoot;
        this.reader = reader;
    }

    Path revisionDir(String revision) {
        return root.resolve(COMPILED).resolve(revision);
    }

    Pointer readPointer() {
        Path file = RegistryFiles.requireInside(root, root.resolve(CURRENT), "Config Registry pointer");
        byte[] bytes = reader.apply(file, "Config Registry pointer");
        Map<String, @Nullable Object> json = StrictJson.parseObject(bytes, file.toString());
        if (!(json.get("revision") instanceof String revision)) {
            throw new InvalidConfigException("Invalid Config Registry pointer " + file + ": revision must be a string");
        }
        RevisionIds.validate(revision);
        if (json.containsKey("manifest_sha256")) {
            if (!(json.get("manifest_sha256") instanceof String digest)
                    || !RegistryFiles.SHA256_HEX.matcher(digest).matches()) {
                throw new InvalidConfigException("Invalid Config Registry pointer " + file
                        + ": manifest_sha256 must be 64 lowercase hex characters");
            }
            return new Pointer(revision, digest, bytes);
        }
        // legacy pointer: the manifest as it is now is the expected one
        Path revDir = existingRevisionDir(revision);
        byte[] manifest = reader.apply(RegistryFiles.requireInside(revDir, revDir.resolve(MANIFEST),
                "Config Registry manifest"), "Config Registry manifest");
        return new Pointer(revision, MdaIntegrity.sha256Hex(manifest), bytes);
    }

    private Path existingRevisionDir(String revision) {
        Path dir = revisionDir(RevisionIds.validate(revision));
        if (!Files.isDirectory(dir)) {
            throw new ConfigNotFoundException("Config Registry compiled revision not found: " + revision + " ("
                    + dir + ")");
        }
        // Covers a symlinked compiled/ as well as a symlinked revision directory.
        return RegistryFiles.requireInside(root, dir, "Config Registry compiled revision");
    }

    Snapshot load(Pointer pointer) {
        Path revDir = existingRevisionDir(pointer.revision());
        Path manifestFile = RegistryFiles.requireInside(revDir, revDir.resolve(MANIFEST), "Config Registry manifest");
        byte[] manifestBytes = reader.apply(manifestFile, "Config Registry manifest");
        String actual = MdaIntegrity.sha256Hex(manifestBytes);
        if (!actual.equals(pointer.manifestSha256())) {
            throw new InvalidConfigException("Checksum mismatch for Config Registry manifest " + manifestFile
                    + ": current.json expects " + pointer.manifestSha256() + ", file has " + actual);
        }
        Manifest manifest = parseManifest(manifestBytes, manifestFile, pointer.revision());
        if (signedRoot != null) {
            new RegistryRootVerifier(revDir, signedRoot, reader).verify(pointer, manifest);
        }
        Map<String, LlmConfig> presets = new TreeMap<>();
        for (Entry e : manifest.entries()) {
            Path source = RegistryFiles.resolveContained(revDir, e.sourcePath());
            Path resolved = RegistryFiles.resolveContained(revDir, e.resolvedPath());
            checkDigest(reader.apply(source, "Config Registry artifact"), e.sourceSha256(), e.sourcePath());
            byte[] json = reader.apply(resolved, "Config Registry artifact");
            checkDigest(json, e.resolvedSha256(), e.resolvedPath());
            String shown = revDir.resolve(e.resolvedPath()).toString();
            LlmConfig config = LlmConfigJson.read(json, shown);
            PresetFieldsNotApplied.warnOnce(config, shown);
            presets.put(e.id(), config);
        }
        return new Snapshot(pointer.revision(), pointer.manifestSha256(),
                Collections.unmodifiableMap(new LinkedHashMap<>(presets)), List.copyOf(presets.keySet()));
    }

    private static void checkDigest(byte[] bytes, String expected, String path) {
        String actual = MdaIntegrity.sha256Hex(bytes);
        if (!actual.equals(expected)) {
            throw new InvalidConfigException("Checksum mismatch for Config Registry artifact " + path + ": manifest "
                    + "expects " + expected + ", file has " + actual);
        }
    }

    static Manifest parseManifest(byte[] bytes, Path file, String pointerRevision) {
        Map<String, @Nullable Object> m = StrictJson.parseObject(bytes, file.toString());
        String where = "Invalid Config Registry manifest " + file + ": ";
        if (!(m.get("revision") instanceof String revision)) {
            throw new InvalidConfigException(where + "revision must be a string");
        }
        RevisionIds.validate(revision);
        if (!revision.equals(pointerRevision)) {
            throw new InvalidConfigException(where + "revision " + revision + " does not match current.json revision "
                    + pointerRevision);
        }
        if (!(m.get("published_at") instanceof String publishedAt)) {
            throw new InvalidConfigException(where + "published_at must be a string");
        }
        if (!(m.get("schema_version") instanceof Number v) || v.doubleValue() != 1) {
            throw new InvalidConfigException(where + "schema_version must be 1");
        }
        if (!(m.get("presets") instanceof Map<?, ?> presets)) {
            throw new InvalidConfigException(where + "presets must be an object");
        }
        List<Entry> entries = new java.util.ArrayList<>();
        for (Map.Entry<?, ?> p : presets.entrySet()) {
            String id = String.valueOf(p.getKey());
            if (!(p.getValue() instanceof Map<?, ?> e)) {
                throw new InvalidConfigException(where + "presets." + id + " must be an object");
            }
            String[] fields = new String[4];
            String[] names = {"source_path", "source_sha256", "resolved_path", "resolved_sha256"};
            for (int i = 0; i < 4; i++) {
                if (!(e.get(names[i]) instanceof String s)) {
                    throw new InvalidConfigException(where + "presets." + id + "." + names[i] + " must be a string");
                }
                fields[i] = s;
                if (i % 2 == 1 && !RegistryFiles.SHA256_HEX.matcher(s).matches()) {
                    throw new InvalidConfigException(where + "presets." + id + "." + names[i]
                            + " must be 64 lowercase hex characters");
                }
                if (i % 2 == 0 && !RegistryFiles.isSafeRelativePath(s)) {
                    throw new InvalidConfigException(where + "presets." + id + "." + names[i] + " \"" + s
                            + "\" must be a normalized relative path without traversal segments");
                }
            }
            entries.add(new Entry(id, fields[0], fields[1], fields[2], fields[3]));
        }
        return new Manifest(revision, publishedAt, List.copyOf(entries));
    }
}
