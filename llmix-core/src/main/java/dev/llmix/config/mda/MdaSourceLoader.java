package dev.llmix.config.mda;

import dev.llmix.config.mda.MdaParts;
import dev.llmix.config.mda.MdaYaml;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The generic MDA source loader: bytes → extraction → YAML → trust-policy presence → schema → signature/integrity
 * cross-checks → optional integrity, signature and {@code requires.network} verification → project validator. The
 * first failing stage decides the {@link MdaErrorCategory}. It knows nothing about LLMix; see
 * {@link MdaPresetLoader} for presets.
 */
public final class MdaSourceLoader {

    /** Files larger than this are rejected before parsing. */
    public static final int MAX_FILE_BYTES = 4 * 1024 * 1024;

    private MdaSourceLoader() {
    }

    /**
     * Loads an {@code .mda} source from its bytes.
     *
     * @param source names the file in messages
     * @throws MdaConfigException at the first failing stage
     */
    public static MdaSource load(byte[] bytes, String source, MdaLoadOptions options, MdaProjectValidator validator) {
        if (bytes.length > MAX_FILE_BYTES) {
            throw new MdaConfigException(MdaErrorCategory.SCHEMA_VIOLATION, source + " is larger than "
                    + MAX_FILE_BYTES + " bytes", Map.of("size", bytes.length), null);
        }
        MdaParts parts = MdaParts.extract(bytes, source);
        // The frontmatter starts on line 2 of the file, after the opening '---'.
        Map<String, @Nullable Object> fm = MdaYaml.parseFrontmatter(parts.frontmatter(), source, 2);

        TrustPolicy policy = null;
        if (options.checksSignatures()) {
            Map<String, ?> raw = options.trustPolicy();
            if (raw == null || raw.isEmpty()) {
                throw new MdaConfigException(MdaErrorCategory.TRUST_POLICY_VIOLATION,
                        "Signature verification for " + source + " requires a trust policy");
            }
            policy = TrustPolicy.parse(raw);
        }
        Object sigs = fm.get("signatures");
        if (sigs instanceof List<?> list && !list.isEmpty() && !fm.containsKey("integrity")) {
            throw new MdaConfigException(MdaErrorCategory.SIGNATURES_WITHOUT_INTEGRITY,
                    source + " declares signatures but no integrity block");
        }
        List<String> issues = MdaSourceSchema.validate(fm);
        if (!issues.isEmpty()) {
            throw new MdaConfigException(MdaErrorCategory.SCHEMA_VIOLATION, "MDA source schema validation failed for "
                    + source + ": " + String.join("; ", issues), Map.of("issues", issues), null);
        }
        String algorithm = null;
        String digest = null;
        if (fm.get("integrity") instanceof Map<?, ?> integrity) {
            algorithm = (String) integrity.get("algorithm");
            digest = (String) integrity.get("digest");
        }
        List<SignatureEntry> signatures = new ArrayList<>();
        if (sigs instanceof List<?> list) {
            for (Object o : list) {
                signatures.add(SignatureEntry.fromMap((Map<?, ?>) o));
            }
        }
        for (SignatureEntry s : signatures) {
            if (!s.payloadDigest().equals(digest)) {
                throw new MdaConfigException(MdaErrorCategory.SIGNATURE_DIGEST_MISMATCH, source + ": signature "
                        + "payload-digest " + s.payloadDigest() + " differs from integrity.digest " + digest,
                        Map.of("payloadDigest", s.payloadDigest(), "integrityDigest", String.valueOf(digest)), null);
            }
        }
        if (options.trustedRuntime() && digest == null) {
            throw new MdaConfigException(MdaErrorCategory.MISSING_REQUIRED_INTEGRITY,
                    source + " has no integrity block, which the trusted runtime requires");
        }
        if (options.checksSignatures() && signatures.isEmpty()) {
            throw new MdaConfigException(options.trustedRuntime() ? MdaErrorCategory.MISSING_REQUIRED_SIGNATURE
                    : MdaErrorCategory.SIGNATURE_VERIFICATION_FAILURE, source + " has no signatures to verify");
        }
        boolean verified = false;
        if (options.checksIntegrity()) {
            if (algorithm == null || digest == null) {
                throw new MdaConfigException(options.trustedRuntime() ? MdaErrorCategory.MISSING_REQUIRED_INTEGRITY
                        : MdaErrorCategory.SCHEMA_VIOLATION, source + " has no integrity block to verify");
            }
            int colon = digest.indexOf(':');
            if (!digest.substring(0, colon).equals(algorithm)) {
                throw new MdaConfigException(MdaErrorCategory.SCHEMA_VIOLATION, source + ": integrity.digest prefix "
                        + digest.substring(0, colon) + " does not match integrity.algorithm " + algorithm);
            }
            String computed;
            try {
                computed = MdaIntegrity.computeHex(fm, parts.body(), algorithm);
            } catch (IllegalArgumentException e) {
                throw new MdaConfigException(MdaErrorCategory.SCHEMA_VIOLATION, source
                        + ": the frontmatter cannot be canonicalized: " + e.getMessage());
            }
            String expected = digest.substring(colon + 1);
            if (!computed.equals(expected)) {
                throw new MdaConfigException(MdaErrorCategory.INTEGRITY_MISMATCH, source + ": integrity digest "
                        + "mismatch (declared " + digest + ", computed " + algorithm + ":" + computed + ")",
                        Map.of("expected", expected, "computed", computed, "algorithm", algorithm), null);
            }
            verified = true;
        }
        List<String> identities = List.of();
        if (policy != null) {
            identities = MdaSignatures.verify(signatures, java.util.Objects.requireNonNull(digest),
                    MdaSignatures.mdaPayloadCandidates(java.util.Objects.requireNonNull(algorithm), digest), policy,
                    options.hooks(), source);
        }
        if (options.enforceRequires()) {
            RequiresNetwork.check(fm.get("requires"), options.allowedNetworks(), source);
        }
        validator.validate(fm, source);
        Object network = fm.get("requires") instanceof Map<?, ?> req ? req.get("network") : null;
        return new MdaSource(fm.get("name") instanceof String n ? n : null, fm, algorithm, digest, verified,
                signatures, identities, network);
    }
}
