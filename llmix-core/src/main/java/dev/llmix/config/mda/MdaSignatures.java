package dev.llmix.config.mda;

import dev.llmix.config.mda.Dsse;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The MDA signature algorithm: checks each signature's shape, verifies Sigstore candidates through Rekor and a
 * {@link SigstoreVerifier} and did:web candidates through a {@link DidWebVerifier}, and requires
 * {@code minSignatures} distinct trusted identities. Used for {@code .mda} files and for signed registry roots.
 */
public final class MdaSignatures {

    /** The only Rekor entry kind accepted. */
    public static final String DSSE_KIND = "dsse-v0.0.1";

    /** Most specific first: the error reported when no identity is trusted. */
    private static final List<MdaErrorCategory> SPECIFICITY = List.of(MdaErrorCategory.REKOR_ENTRY_TYPE_MISMATCH,
            MdaErrorCategory.REKOR_INCLUSION_FAILURE, MdaErrorCategory.FULCIO_CHAIN_FAILURE,
            MdaErrorCategory.SIGNATURE_VERIFICATION_FAILURE);

    private MdaSignatures() {
    }

    /**
     * The hooks that carry external verification work.
     *
     * @param rekorClient      Rekor lookups, required when a Sigstore signer is trusted
     * @param sigstoreVerifier Sigstore verification, required when a Sigstore signer is trusted
     * @param didWebVerifier   did:web verification, required when a did:web signer is trusted
     */
    public record Hooks(@Nullable RekorClient rekorClient, @Nullable SigstoreVerifier sigstoreVerifier,
            @Nullable DidWebVerifier didWebVerifier) {

        /** No hooks at all. */
        public static final Hooks NONE = new Hooks(null, null, null);
    }

    /**
     * The two payload encodings a signer may have signed for an {@code .mda} integrity descriptor: the wrapped JCS
     * {@code {"integrity":{…}}} first, then the bare JCS {@code {"algorithm":…,"digest":…}}.
     */
    public static List<byte[]> mdaPayloadCandidates(String algorithm, String digest) {
        String bare = dev.llmix.internal.json.Jcs.canonicalize(Map.of("algorithm", algorithm, "digest", digest));
        String wrapped = "{\"integrity\":" + bare + "}";
        return List.of(wrapped.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                bare.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /**
     * Verifies signatures against a policy.
     *
     * @param signatures        the signatures (already schema-checked)
     * @param integrityDigest   every {@code payload-digest} must equal it
     * @param payloadCandidates the signed payload encodings to try, in order
     * @return the distinct trusted identities, at least {@code policy.minSignatures()}
     * @throws MdaConfigException with its error category on failure
     */
    public static List<String> verify(List<SignatureEntry> signatures, String integrityDigest,
            List<byte[]> payloadCandidates, TrustPolicy policy, Hooks hooks, String source) {
        checkHooks(policy, hooks, source);
        if (signatures.isEmpty()) {
            throw new MdaConfigException(MdaErrorCategory.MISSING_REQUIRED_SIGNATURE, source + " has no signatures");
        }
        for (SignatureEntry s : signatures) {
            checkShape(s, integrityDigest, source);
        }
        Set<String> trusted = new LinkedHashSet<>();
        Set<MdaErrorCategory> collected = EnumSet.noneOf(MdaErrorCategory.class);
        List<String> messages = new ArrayList<>();
        for (SignatureEntry s : signatures) {
            try {
                String identity = s.signer().startsWith("sigstore-oidc:")
                        ? verifySigstore(s, payloadCandidates, policy, hooks, source)
                        : verifyDidWeb(s, payloadCandidates, policy, hooks);
                if (identity != null) {
                    trusted.add(identity);
                }
            } catch (MdaConfigException e) {
                collected.add(e.category());
                messages.add(e.getMessage());
            }
        }
        if (trusted.size() >= policy.minSignatures()) {
            return List.copyOf(trusted);
        }
        if (!trusted.isEmpty()) {
            throw new MdaConfigException(MdaErrorCategory.INSUFFICIENT_TRUSTED_SIGNATURES, source + " has "
                    + trusted.size() + " distinct trusted signature(s), the policy requires " + policy.minSignatures(),
                    Map.of("trusted", List.copyOf(trusted), "required", policy.minSignatures()), null);
        }
        for (MdaErrorCategory c : SPECIFICITY) {
            if (collected.contains(c)) {
                throw new MdaConfigException(c, source + ": no trusted signature; " + String.join("; ", messages));
            }
        }
        throw new MdaConfigException(MdaErrorCategory.NO_TRUSTED_SIGNATURE,
                source + ": no signature from a signer the trust policy trusts verified");
    }

    private static void checkHooks(TrustPolicy policy, Hooks hooks, String source) {
        if (policy.trustsSigstore()) {
            if (hooks.rekorClient() == null || hooks.sigstoreVerifier() == null) {
                throw new MdaConfigException(MdaErrorCategory.TRUST_POLICY_VIOLATION, "The trust policy for "
                        + source + " trusts a sigstore-oidc signer but no Rekor client and Sigstore verifier are set");
            }
            Optional<String> url = hooks.rekorClient().url();
            if (url.isPresent() && !url.get().equals(policy.rekorUrl())) {
                throw new MdaConfigException(MdaErrorCategory.TRUST_POLICY_VIOLATION, "The Rekor client URL "
                        + url.get() + " differs from the trust policy's rekor.url " + policy.rekorUrl());
            }
        }
        if (policy.trustsDidWeb() && hooks.didWebVerifier() == null) {
            throw new MdaConfigException(MdaErrorCategory.TRUST_POLICY_VIOLATION, "The trust policy for " + source
                    + " trusts a did-web signer but no did:web verifier is set");
        }
    }

    private static void checkShape(SignatureEntry s, String integrityDigest, String source) {
        String type = s.effectivePayloadType();
        if (!MdaSourceSchema.PAYLOAD_TYPE.matcher(type).matches() || type.endsWith("+jcs+json")) {
            throw new MdaConfigException(MdaErrorCategory.SCHEMA_VIOLATION, source
                    + ": signature payload-type " + type + " is not allowed");
        }
        String signer = s.signer();
        boolean hasRekor = s.rekorLogId() != null || s.rekorLogIndex() != null;
        if (signer.startsWith("sigstore-oidc:")) {
            if (signer.length() == "sigstore-oidc:".length() || signer.indexOf('#') >= 0) {
                throw new MdaConfigException(MdaErrorCategory.UNKNOWN_SIGNER_METHOD, source
                        + ": malformed signer " + signer);
            }
            if (s.rekorLogId() == null || s.rekorLogIndex() == null) {
                throw new MdaConfigException(MdaErrorCategory.REKOR_INCLUSION_FAILURE, source + ": signer " + signer
                        + " needs rekor-log-id and rekor-log-index");
            }
        } else if (signer.startsWith("did-web:")) {
            if (signer.length() == "did-web:".length() || signer.indexOf('#') >= 0) {
                throw new MdaConfigException(MdaErrorCategory.UNKNOWN_SIGNER_METHOD, source
                        + ": malformed signer " + signer);
            }
            if (hasRekor) {
                throw new MdaConfigException(MdaErrorCategory.SCHEMA_VIOLATION, source + ": did-web signer " + signer
                        + " must not carry Rekor fields");
            }
        } else {
            throw new MdaConfigException(MdaErrorCategory.UNKNOWN_SIGNER_METHOD, source + ": unknown signer method "
                    + signer);
        }
        if (!s.payloadDigest().equals(integrityDigest)) {
            throw new MdaConfigException(MdaErrorCategory.SIGNATURE_DIGEST_MISMATCH, source
                    + ": signature payload-digest " + s.payloadDigest() + " differs from integrity.digest "
                    + integrityDigest, Map.of("payloadDigest", s.payloadDigest(), "integrityDigest", integrityDigest),
                    null);
        }
    }

    private static @Nullable String verifySigstore(SignatureEntry s, List<byte[]> candidates, TrustPolicy policy,
            Hooks hooks, String source) {
        String issuer = s.signer().substring("sigstore-oidc:".length());
        Set<String> subjects = new LinkedHashSet<>();
        for (TrustPolicy.TrustedSigner t : policy.trustedSigners()) {
            if (t.type().equals("sigstore-oidc") && issuer.equals(t.issuer())) {
                subjects.add(t.subject());
            }
        }
        if (subjects.isEmpty()) {
            return null;
        }
        String logId = java.util.Objects.requireNonNull(s.rekorLogId());
        long logIndex = java.util.Objects.requireNonNull(s.rekorLogIndex());
        RekorClient rekor = java.util.Objects.requireNonNull(hooks.rekorClient());
        Optional<RekorEntry> found;
        try {
            found = rekor.fetchEntry(java.util.Objects.requireNonNull(policy.rekorUrl()), logId, logIndex);
        } catch (RuntimeException e) {
            throw fail(MdaErrorCategory.REKOR_INCLUSION_FAILURE, source, "Rekor lookup failed: " + e.getMessage());
        }
        if (found == null || found.isEmpty()) {
            throw fail(MdaErrorCategory.REKOR_INCLUSION_FAILURE, source, "no Rekor entry for log index " + logIndex);
        }
        RekorEntry entry = found.get();
        if (!logId.equals(entry.logId()) || entry.logIndex() == null || entry.logIndex() != logIndex
                || !Boolean.TRUE.equals(entry.inclusionVerified())) {
            throw fail(MdaErrorCategory.REKOR_INCLUSION_FAILURE, source,
                    "Rekor entry does not match the signature's log id/index or its inclusion is not verified");
        }
        if (!DSSE_KIND.equals(entry.kind())) {
            throw fail(MdaErrorCategory.REKOR_ENTRY_TYPE_MISMATCH, source, "Rekor entry kind " + entry.kind()
                    + " is not " + DSSE_KIND);
        }
        RekorEntry.DsseEnvelope envelope = entry.dsseEnvelope();
        if (envelope == null || !s.effectivePayloadType().equals(envelope.payloadType())) {
            throw fail(MdaErrorCategory.REKOR_INCLUSION_FAILURE, source,
                    "Rekor DSSE envelope payload type does not match the signature");
        }
        byte[] payload = null;
        for (byte[] candidate : candidates) {
            if (Base64.getEncoder().encodeToString(candidate).equals(envelope.payload())) {
                payload = candidate;
                break;
            }
        }
        if (payload == null) {
            throw fail(MdaErrorCategory.REKOR_INCLUSION_FAILURE, source,
                    "Rekor DSSE envelope payload is not the signed integrity payload");
        }
        boolean sigListed = envelope.signatures().stream()
                .anyMatch(d -> s.signature().equals(d.sig()) && s.keyId().equals(d.keyid()));
        if (!sigListed) {
            throw fail(MdaErrorCategory.REKOR_INCLUSION_FAILURE, source,
                    "Rekor DSSE envelope does not contain this signature and key id");
        }
        SigstoreVerificationResult result;
        try {
            result = java.util.Objects.requireNonNull(hooks.sigstoreVerifier())
                    .verify(entry, s, Dsse.pae(s.effectivePayloadType(), payload));
        } catch (RuntimeException e) {
            throw fail(MdaErrorCategory.SIGNATURE_VERIFICATION_FAILURE, source,
                    "Sigstore verification failed: " + e.getMessage());
        }
        if (result == null || result.issuer() == null || result.effectiveSubject() == null) {
            throw fail(MdaErrorCategory.SIGNATURE_VERIFICATION_FAILURE, source,
                    "Sigstore verifier returned no issuer or subject");
        }
        if (issuer.equals(result.issuer()) && subjects.contains(result.effectiveSubject())) {
            return "sigstore-oidc:" + issuer + "|" + result.effectiveSubject();
        }
        return null;
    }

    private static @Nullable String verifyDidWeb(SignatureEntry s, List<byte[]> candidates, TrustPolicy policy,
            Hooks hooks) {
        String domain = s.signer().substring("did-web:".length());
        boolean trustedDomain = policy.trustedSigners().stream()
                .anyMatch(t -> t.type().equals("did-web") && domain.equals(t.domain()));
        if (!trustedDomain) {
            return null;
        }
        DidWebVerifier verifier = java.util.Objects.requireNonNull(hooks.didWebVerifier());
        for (byte[] payload : candidates) {
            boolean ok;
            try {
                ok = verifier.verify(new DidWebVerificationInput(domain, s.keyId(), s.algorithm(), s.signature(),
                        s.effectivePayloadType(), payload, Dsse.pae(s.effectivePayloadType(), payload)));
            } catch (RuntimeException e) {
                throw fail(MdaErrorCategory.SIGNATURE_VERIFICATION_FAILURE, "did:web " + domain,
                        "verifier failed: " + e.getMessage());
            }
            if (ok) {
                return "did-web:" + domain;
            }
        }
        return null;
    }

    private static MdaConfigException fail(MdaErrorCategory category, String source, String message) {
        return new MdaConfigException(category, source + ": " + message);
    }
}
