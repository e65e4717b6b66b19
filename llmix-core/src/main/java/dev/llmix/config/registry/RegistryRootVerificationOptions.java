package dev.llmix.config.registry;

import dev.llmix.internal.config.RevisionIds;
import dev.llmix.config.InvalidConfigException;
import dev.llmix.config.mda.DidWebVerifier;
import dev.llmix.config.mda.MdaSignatures;
import dev.llmix.config.mda.RekorClient;
import dev.llmix.config.mda.SigstoreVerifier;
import dev.llmix.config.mda.TrustPolicy;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Signed-root mode: the trust policy and hooks for the root signatures plus optional external anchors (expected
 * revision or root digest, minimum revision or publish time, a high-watermark check). All of it must come from
 * outside the registry directory.
 *
 * @param trustPolicy        the root signers' trust policy (JSON form, validated at verification time)
 * @param hooks              Rekor, Sigstore and did:web hooks
 * @param expectedRevision   the only revision accepted, or null
 * @param minimumRevision    the oldest revision accepted ({@link RevisionIds#compare}), or null
 * @param minimumPublishedAt the oldest {@code published_at} accepted (ISO-8601 / RFC 3339 or epoch millis), or null
 * @param expectedRootDigest lowercase hex sha256 of the {@code registry-root.json} bytes, or null
 * @param highWatermark      an extra acceptance check, or null
 */
public record RegistryRootVerificationOptions(@Nullable Map<String, ?> trustPolicy, MdaSignatures.Hooks hooks,
        @Nullable String expectedRevision, @Nullable String minimumRevision, @Nullable String minimumPublishedAt,
        @Nullable String expectedRootDigest, @Nullable HighWatermarkCheck highWatermark) {

    public RegistryRootVerificationOptions {
        trustPolicy = trustPolicy == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(trustPolicy));
        expectedRootDigest = expectedRootDigest == null ? null : normalizeDigest(expectedRootDigest);
    }

    /** A builder with nothing set. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Accepts {@code <64 hex>} or {@code sha256:<64 hex>} in any case and returns lowercase hex.
     *
     * @throws InvalidConfigException for any other form
     */
    public static String normalizeDigest(String digest) {
        String d = digest.trim().toLowerCase(Locale.ROOT);
        if (d.startsWith("sha256:")) {
            d = d.substring("sha256:".length());
        }
        if (!RegistryFiles.SHA256_HEX.matcher(d).matches()) {
            throw new InvalidConfigException("Invalid expectedRootDigest \"" + digest
                    + "\": expected 64 hex characters, optionally prefixed with sha256:");
        }
        return d;
    }

    /** Builder for {@link RegistryRootVerificationOptions}. */
    public static final class Builder {
        private @Nullable Map<String, ?> trustPolicy;
        private @Nullable RekorClient rekorClient;
        private @Nullable SigstoreVerifier sigstoreVerifier;
        private @Nullable DidWebVerifier didWebVerifier;
        private @Nullable String expectedRevision;
        private @Nullable String minimumRevision;
        private @Nullable String minimumPublishedAt;
        private @Nullable String expectedRootDigest;
        private @Nullable HighWatermarkCheck highWatermark;

        private Builder() {
        }

        public Builder trustPolicy(@Nullable Map<String, ?> v) { trustPolicy = v; return this; }
        public Builder trustPolicy(TrustPolicy v) { trustPolicy = v.toMap(); return this; }
        public Builder rekorClient(@Nullable RekorClient v) { rekorClient = v; return this; }
        public Builder sigstoreVerifier(@Nullable SigstoreVerifier v) { sigstoreVerifier = v; return this; }
        public Builder didWebVerifier(@Nullable DidWebVerifier v) { didWebVerifier = v; return this; }
        public Builder expectedRevision(@Nullable String v) { expectedRevision = v; return this; }
        public Builder minimumRevision(@Nullable String v) { minimumRevision = v; return this; }
        public Builder minimumPublishedAt(@Nullable String v) { minimumPublishedAt = v; return this; }
        public Builder minimumPublishedAt(Instant v) { minimumPublishedAt = v.toString(); return this; }
        /** Bare or {@code sha256:}-prefixed hex, any case; a malformed value fails {@link #build()}. */
        public Builder expectedRootDigest(@Nullable String v) { expectedRootDigest = v; return this; }
        public Builder highWatermark(@Nullable HighWatermarkCheck v) { highWatermark = v; return this; }

        /** @throws InvalidConfigException for a malformed expected root digest */
        public RegistryRootVerificationOptions build() {
            return new RegistryRootVerificationOptions(trustPolicy, new MdaSignatures.Hooks(rekorClient,
                    sigstoreVerifier, didWebVerifier), expectedRevision, minimumRevision, minimumPublishedAt,
                    expectedRootDigest, highWatermark);
        }
    }
}
