package dev.llmix.config.registry;

import dev.llmix.internal.config.RevisionIds;
import dev.llmix.config.ConfigSecurityException;
import dev.llmix.config.InvalidConfigException;
import dev.llmix.internal.json.Jcs;
import dev.llmix.internal.json.StrictJson;
import dev.llmix.config.mda.MdaConfigException;
import dev.llmix.config.mda.MdaErrorCategory;
import dev.llmix.config.mda.MdaIntegrity;
import dev.llmix.config.mda.MdaSignatures;
import dev.llmix.config.mda.SignatureEntry;
import dev.llmix.config.mda.TrustPolicy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import org.jspecify.annotations.Nullable;

/**
 * Verifies {@code compiled/<rev>/registry-root.json}: expected root digest, envelope and
 * payload shape, payload digest, signatures, freshness, then the binding of the root to the live files.
 */
final class RegistryRootVerifier {

    static final String ROOT_FILE = "registry-root.json";
    static final String ENVELOPE_SCHEMA = "llmix.config-registry.root-envelope";
    static final String PAYLOAD_SCHEMA = "llmix.config-registry.root";
    static final String PAYLOAD_TYPE = "application/vnd.snoai.llmix.registry-root+json";
    private static final Set<String> SIGNATURE_ALGORITHMS = Set.of("ed25519", "ecdsa-p256", "rsa-pss-sha256");

    private final Path revisionDir;
    private final RegistryRootVerificationOptions options;
    private final BiFunction<Path, String, byte[]> reader;

    /** One {@code files[]} entry. */
    private record FileBinding(String path, String sha256, String role) {
    }

    RegistryRootVerifier(Path revisionDir, RegistryRootVerificationOptions options,
            BiFunction<Path, String, byte[]> reader) {
        this.revisionDir = revisionDir;
        this.options = options;
        this.reader = reader;
    }

    void verify(RegistryLoader.Pointer pointer, RegistryLoader.Manifest manifest) {
        Path file = RegistryFiles.requireInside(revisionDir, revisionDir.resolve(ROOT_FILE), "Config Registry root");
        byte[] bytes = reader.apply(file, "Config Registry root");
        String where = "Invalid Config Registry root " + file + ": ";
        if (options.expectedRootDigest() != null) {
            String actual = MdaIntegrity.sha256Hex(bytes);
            if (!actual.equals(options.expectedRootDigest())) {
                throw new ConfigSecurityException("Config Registry root " + file + " does not match the expected root "
                        + "digest: expected " + options.expectedRootDigest() + ", got " + actual);
            }
        }
        Map<String, @Nullable Object> envelope = StrictJson.parseObject(bytes, file.toString());
        require(ENVELOPE_SCHEMA.equals(envelope.get("schema")), where + "schema must be " + ENVELOPE_SCHEMA);
        require(isOne(envelope.get("schema_version")), where + "schema_version must be 1");
        Map<String, ?> payload = object(envelope.get("payload"), where + "payload must be an object");
        Map<String, ?> integrity = object(envelope.get("integrity"), where + "integrity must be an object");
        require("sha256".equals(integrity.get("algorithm")), where + "integrity.algorithm must be sha256");
        String digest = string(integrity.get("digest"), where + "integrity.digest must be a string");
        require(digest.startsWith("sha256:") && hex(digest.substring(7)), where
                + "integrity.digest must be sha256:<64 lowercase hex>");
        String payloadSha = string(envelope.get("payload_sha256"), where + "payload_sha256 must be a string");
        require(hex(payloadSha), where + "payload_sha256 must be 64 lowercase hex characters");
        require(digest.equals("sha256:" + payloadSha), where + "integrity.digest must equal sha256:payload_sha256");
        if (!(envelope.get("signatures") instanceof List<?> rawSignatures)) {
            throw new InvalidConfigException(where + "signatures must be an array");
        }
        List<SignatureEntry> signatures = signatures(rawSignatures, where);
        String revision = validatePayload(payload, where);

        String canonical = Jcs.canonicalize(payload);
        if (!MdaIntegrity.sha256Hex(utf8(canonical)).equals(payloadSha)) {
            canonical = Jcs.pretty(payload);
            if (!MdaIntegrity.sha256Hex(utf8(canonical)).equals(payloadSha)) {
                throw new InvalidConfigException("Registry root payload digest mismatch in " + file);
            }
        }
        verifySignatures(signatures, digest, canonical, file);
        freshness(envelope, payload, integrity, canonical, digest, revision, file);
        bindings(pointer, manifest, payload, revision, file);
    }

    private String validatePayload(Map<String, ?> payload, String where) {
        require(PAYLOAD_SCHEMA.equals(payload.get("schema")), where + "payload.schema must be " + PAYLOAD_SCHEMA);
        require(isOne(payload.get("schema_version")), where + "payload.schema_version must be 1");
        String revision = RevisionIds.validate(string(payload.get("revision"), where
                + "payload.revision must be a string"));
        string(payload.get("published_at"), where + "payload.published_at must be a string");
        Map<String, ?> current = object(payload.get("current"), where + "payload.current must be an object");
        require("current.json".equals(current.get("path")), where + "payload.current.path must be current.json");
        String currentRevision = RevisionIds.validate(string(current.get("revision"), where
                + "payload.current.revision must be a string"));
        String currentManifest = string(current.get("manifest_sha256"), where
                + "payload.current.manifest_sha256 must be a string");
        require(hex(currentManifest), where + "payload.current.manifest_sha256 must be 64 lowercase hex characters");
        String currentSha = string(current.get("sha256"), where + "payload.current.sha256 must be a string");
        require(hex(currentSha), where + "payload.current.sha256 must be 64 lowercase hex characters");
        Map<String, ?> manifest = object(payload.get("manifest"), where + "payload.manifest must be an object");
        String manifestPath = string(manifest.get("path"), where + "payload.manifest.path must be a string");
        String manifestSha = string(manifest.get("sha256"), where + "payload.manifest.sha256 must be a string");
        require(hex(manifestSha), where + "payload.manifest.sha256 must be 64 lowercase hex characters");
        files(payload, where, revision);

        require(currentRevision.equals(revision), where + "payload.current.revision " + currentRevision
                + " does not match payload.revision " + revision);
        require(currentManifest.equals(manifestSha), where
                + "payload.current.manifest_sha256 does not match payload.manifest.sha256");
        Map<String, Object> pointer = new LinkedHashMap<>();
        pointer.put("manifest_sha256", currentManifest);
        pointer.put("revision", currentRevision);
        // publishers render the pointer pretty (TypeScript, Python) or compact + LF (Rust): accept either
        require(currentSha.equals(MdaIntegrity.sha256Hex(utf8(Jcs.pretty(pointer))))
                || currentSha.equals(MdaIntegrity.sha256Hex(utf8(Jcs.canonicalize(pointer) + "\n"))),
                where + "payload.current.sha256 is not the digest of the pointer it describes");
        require(manifestPath.equals("compiled/" + revision + "/manifest.json"), where
                + "payload.manifest.path must be compiled/" + revision + "/manifest.json");
        return revision;
    }

    private List<FileBinding> files(Map<String, ?> payload, String where, String revision) {
        if (!(payload.get("files") instanceof List<?> list)) {
            throw new InvalidConfigException(where + "payload.files must be an array");
        }
        List<FileBinding> files = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        String prefix = "compiled/" + revision + "/";
        for (Object o : list) {
            Map<String, ?> f = object(o, where + "payload.files entries must be objects");
            String path = string(f.get("path"), where + "payload.files[].path must be a string");
            String sha = string(f.get("sha256"), where + "payload.files[].sha256 must be a string");
            require(hex(sha), where + "payload.files[].sha256 must be 64 lowercase hex characters");
            Object role = f.get("role");
            require("source".equals(role) || "resolved".equals(role), where
                    + "payload.files[].role must be source or resolved");
            require(seen.add(path), where + "duplicate file path " + path);
            if (!path.startsWith(prefix)) {
                throw new ConfigSecurityException("Config Registry root file " + path
                        + " is outside the active compiled revision " + revision);
            }
            String rest = path.substring(prefix.length());
            require(RegistryFiles.isSafeRelativePath(rest), where + "file path " + path
                    + " contains traversal segments");
            require(rest.startsWith(role + "/"), where + "file path " + path + " does not match role " + role);
            files.add(new FileBinding(path, sha, (String) role));
        }
        return files;
    }

    private void verifySignatures(List<SignatureEntry> signatures, String digest, String canonical, Path file) {
        try {
            Map<String, ?> raw = options.trustPolicy();
            if (raw == null || raw.isEmpty()) {
                throw new MdaConfigException(MdaErrorCategory.TRUST_POLICY_VIOLATION,
                        "signed registry root verification requires a trust policy");
            }
            MdaSignatures.verify(signatures, digest, List.of(utf8(canonical)), TrustPolicy.parse(raw),
                    options.hooks(), "registry root " + file);
        } catch (MdaConfigException e) {
            throw new ConfigSecurityException("Registry root signature verification failed: " + e.getMessage(), e);
        }
    }

    private void freshness(Map<String, ?> envelope, Map<String, ?> payload, Map<String, ?> integrity,
            String canonical, String digest, String revision, Path file) {
        if (options.expectedRevision() != null && !options.expectedRevision().equals(revision)) {
            throw new ConfigSecurityException("Config Registry root revision " + revision
                    + " is not the expected revision " + options.expectedRevision());
        }
        if (options.minimumRevision() != null && RevisionIds.compare(revision, options.minimumRevision()) < 0) {
            throw new ConfigSecurityException("Config Registry root revision " + revision
                    + " is older than minimum revision " + options.minimumRevision());
        }
        if (options.minimumPublishedAt() != null) {
            Instant published = parseInstant((String) payload.get("published_at"));
            Instant minimum = parseInstant(options.minimumPublishedAt());
            if (published == null || minimum == null) {
                throw new ConfigSecurityException("Cannot compare Config Registry published_at "
                        + payload.get("published_at") + " with minimumPublishedAt " + options.minimumPublishedAt());
            }
            if (published.isBefore(minimum)) {
                throw new ConfigSecurityException("Config Registry root published_at " + published
                        + " is older than minimumPublishedAt " + minimum);
            }
        }
        if (options.highWatermark() != null) {
            boolean ok;
            try {
                ok = options.highWatermark().accept(new HighWatermarkCheck.Input(envelope, payload, canonical,
                        integrity, PAYLOAD_TYPE, digest));
            } catch (RuntimeException e) {
                throw new ConfigSecurityException("Config Registry high-watermark check failed for " + file, e);
            }
            if (!ok) {
                throw new ConfigSecurityException("Config Registry root " + file
                        + " was rejected by the high-watermark check");
            }
        }
    }

    private void bindings(RegistryLoader.Pointer pointer, RegistryLoader.Manifest manifest, Map<String, ?> payload,
            String revision, Path file) {
        if (!revision.equals(pointer.revision()) || !revision.equals(manifest.revision())) {
            throw new ConfigSecurityException("Config Registry root revision " + revision
                    + " does not match current.json revision " + pointer.revision());
        }
        Map<?, ?> current = (Map<?, ?>) payload.get("current");
        if (!pointer.revision().equals(current.get("revision"))
                || !pointer.manifestSha256().equals(current.get("manifest_sha256"))) {
            throw new ConfigSecurityException("Config Registry root current binding does not match current.json");
        }
        if (!MdaIntegrity.sha256Hex(pointer.bytes()).equals(current.get("sha256"))) {
            throw new ConfigSecurityException("Config Registry root current binding digest mismatch: current.json "
                    + "bytes differ from the signed pointer");
        }
        Map<?, ?> manifestBinding = (Map<?, ?>) payload.get("manifest");
        if (!("compiled/" + revision + "/manifest.json").equals(manifestBinding.get("path"))
                || !pointer.manifestSha256().equals(manifestBinding.get("sha256"))) {
            throw new ConfigSecurityException("Config Registry root manifest binding does not match the manifest");
        }
        List<FileBinding> files = files(payload, "Invalid Config Registry root " + file + ": ", revision);
        Set<FileBinding> expected = new HashSet<>();
        String prefix = "compiled/" + revision + "/";
        for (RegistryLoader.Entry e : manifest.entries()) {
            expected.add(new FileBinding(prefix + e.sourcePath(), e.sourceSha256(), "source"));
            expected.add(new FileBinding(prefix + e.resolvedPath(), e.resolvedSha256(), "resolved"));
        }
        if (!expected.equals(new HashSet<>(files))) {
            throw new ConfigSecurityException("Config Registry root file digest set does not match the selected "
                    + "manifest of revision " + revision);
        }
        for (FileBinding f : files) {
            Path artifact = RegistryFiles.resolveContained(revisionDir, f.path().substring(prefix.length()));
            String actual = MdaIntegrity.sha256Hex(reader.apply(artifact, "Config Registry artifact"));
            if (!actual.equals(f.sha256())) {
                throw new ConfigSecurityException("Registry root file digest mismatch: " + f.path());
            }
        }
    }

    private static List<SignatureEntry> signatures(List<?> raw, String where) {
        List<SignatureEntry> out = new ArrayList<>();
        for (Object o : raw) {
            Map<String, ?> s = object(o, where + "signatures entries must be objects");
            require(s.get("algorithm") instanceof String a && SIGNATURE_ALGORITHMS.contains(a), where
                    + "signature algorithm must be one of ed25519, ecdsa-p256, rsa-pss-sha256");
            require(PAYLOAD_TYPE.equals(s.get("payload-type")), where + "signature payload-type must be "
                    + PAYLOAD_TYPE);
            for (String k : List.of("signer", "key-id", "payload-digest", "signature")) {
                require(s.get(k) instanceof String, where + "signature " + k + " must be a string");
            }
            require(!s.containsKey("rekor-log-id") || s.get("rekor-log-id") instanceof String, where
                    + "signature rekor-log-id must be a string");
            require(!s.containsKey("rekor-log-index") || s.get("rekor-log-index") instanceof Number, where
                    + "signature rekor-log-index must be a number");
            Object index = s.get("rekor-log-index");
            out.add(new SignatureEntry((String) s.get("signer"), (String) s.get("key-id"),
                    (String) s.get("payload-digest"), (String) s.get("algorithm"), (String) s.get("signature"),
                    (String) s.get("rekor-log-id"), index instanceof Number n ? (Long) n.longValue() : null,
                    PAYLOAD_TYPE));
        }
        return out;
    }

    /** ISO-8601 / RFC 3339 instants, or all-digit epoch milliseconds; null when unparsable. */
    static @Nullable Instant parseInstant(@Nullable String s) {
        if (s == null || s.isEmpty()) {
            return null;
        }
        if (s.chars().allMatch(c -> c >= '0' && c <= '9')) {
            try {
                return Instant.ofEpochMilli(Long.parseLong(s));
            } catch (NumberFormatException e) {
                return null;
            }
        }
        try {
            return OffsetDateTime.parse(s).toInstant();
        } catch (DateTimeParseException e) {
            try {
                return Instant.parse(s);
            } catch (DateTimeParseException e2) {
                return null;
            }
        }
    }

    private static boolean isOne(@Nullable Object o) {
        return o instanceof Number n && n.doubleValue() == 1;
    }

    private static boolean hex(String s) {
        return RegistryFiles.SHA256_HEX.matcher(s).matches();
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new InvalidConfigException(message);
        }
    }

    private static String string(@Nullable Object o, String message) {
        if (!(o instanceof String s)) {
            throw new InvalidConfigException(message);
        }
        return s;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, ?> object(@Nullable Object o, String message) {
        if (!(o instanceof Map<?, ?>)) {
            throw new InvalidConfigException(message);
        }
        return (Map<String, ?>) o;
    }
}
