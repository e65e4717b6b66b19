package dev.llmix.config.mda;

import dev.llmix.internal.json.StrictJson;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Which signers a consumer trusts and how many distinct trusted identities it needs. Keep policies outside the
 * config directory: a registry cannot vouch for itself.
 *
 * @param trustedSigners the trusted identities, non-empty
 * @param minSignatures  distinct trusted identities required, at least 1
 * @param rekorUrl       the Rekor URL; required when a Sigstore signer is trusted, forbidden otherwise
 */
public record TrustPolicy(List<TrustedSigner> trustedSigners, int minSignatures, @Nullable String rekorUrl) {

    public TrustPolicy {
        trustedSigners = List.copyOf(trustedSigners);
    }

    /**
     * A trusted identity: a Sigstore OIDC issuer + subject, or a did:web domain.
     *
     * @param type    {@code sigstore-oidc} or {@code did-web}
     * @param issuer  the OIDC issuer (Sigstore only)
     * @param subject the certificate subject (Sigstore only)
     * @param domain  the domain (did:web only)
     */
    public record TrustedSigner(String type, @Nullable String issuer, @Nullable String subject,
            @Nullable String domain) {

        /** A trusted did:web domain. */
        public static TrustedSigner didWeb(String domain) {
            return new TrustedSigner("did-web", null, null, domain);
        }

        /** A trusted Sigstore identity. */
        public static TrustedSigner sigstore(String issuer, String subject) {
            return new TrustedSigner("sigstore-oidc", issuer, subject, null);
        }
    }

    /** True when some trusted signer is a Sigstore identity. */
    public boolean trustsSigstore() {
        return trustedSigners.stream().anyMatch(s -> s.type().equals("sigstore-oidc"));
    }

    /** True when some trusted signer is a did:web domain. */
    public boolean trustsDidWeb() {
        return trustedSigners.stream().anyMatch(s -> s.type().equals("did-web"));
    }

    /** The policy's JSON form ({@code version: 1}). */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("version", 1);
        List<Object> signers = new ArrayList<>();
        for (TrustedSigner s : trustedSigners) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("type", s.type());
            if (s.type().equals("did-web")) {
                e.put("domain", s.domain());
            } else {
                e.put("issuer", s.issuer());
                e.put("subject", s.subject());
            }
            signers.add(e);
        }
        m.put("trustedSigners", signers);
        m.put("minSignatures", minSignatures);
        if (rekorUrl != null) {
            m.put("rekor", Map.of("url", rekorUrl));
        }
        return m;
    }

    /**
     * Parses and validates a policy from JSON bytes.
     *
     * @throws MdaConfigException {@code trust-policy-violation} for invalid JSON or an invalid policy
     */
    public static TrustPolicy parseJson(byte[] json, String source) {
        Object parsed;
        try {
            parsed = StrictJson.parse(json, source);
        } catch (RuntimeException e) {
            throw violation("Trust policy " + source + " is not valid JSON: " + e.getMessage());
        }
        if (!(parsed instanceof Map<?, ?> m)) {
            throw violation("Trust policy " + source + " must be a JSON object");
        }
        return parse(m);
    }

    /**
     * Validates a policy in its JSON-like form.
     *
     * @throws MdaConfigException {@code trust-policy-violation} naming the offending field
     */
    public static TrustPolicy parse(Map<?, ?> raw) {
        closed(raw, "", Set.of("version", "trustedSigners", "minSignatures", "rekor"));
        if (!(raw.get("version") instanceof Number v) || v.doubleValue() != 1) {
            throw violation("trust policy version must be the number 1");
        }
        if (!(raw.get("trustedSigners") instanceof List<?> list) || list.isEmpty()) {
            throw violation("trust policy trustedSigners must be a non-empty array");
        }
        List<TrustedSigner> signers = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            String p = "trustedSigners[" + i + "]";
            if (!(list.get(i) instanceof Map<?, ?> s)) {
                throw violation("trust policy " + p + " must be an object");
            }
            Object type = s.get("type");
            if ("sigstore-oidc".equals(type)) {
                closed(s, p + ".", Set.of("type", "issuer", "subject"));
                signers.add(TrustedSigner.sigstore(nonEmpty(s, "issuer", p), nonEmpty(s, "subject", p)));
            } else if ("did-web".equals(type)) {
                closed(s, p + ".", Set.of("type", "domain"));
                signers.add(TrustedSigner.didWeb(nonEmpty(s, "domain", p)));
            } else {
                throw violation("trust policy " + p + ".type must be sigstore-oidc or did-web");
            }
        }
        int min = 1;
        if (raw.containsKey("minSignatures")) {
            if (!(raw.get("minSignatures") instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())
                    || n.doubleValue() < 1 || n.doubleValue() > 1000) {
                throw violation("trust policy minSignatures must be an integer >= 1");
            }
            min = n.intValue();
        }
        String rekorUrl = null;
        if (raw.containsKey("rekor")) {
            if (!(raw.get("rekor") instanceof Map<?, ?> r)) {
                throw violation("trust policy rekor must be an object");
            }
            closed(r, "rekor.", Set.of("url"));
            rekorUrl = nonEmpty(r, "url", "rekor");
        }
        TrustPolicy policy = new TrustPolicy(signers, min, rekorUrl);
        if (policy.trustsSigstore() && rekorUrl == null) {
            throw violation("trust policy trusting a sigstore-oidc signer must set rekor.url");
        }
        if (!policy.trustsSigstore() && rekorUrl != null) {
            throw violation("trust policy trusting only did-web signers must not set rekor");
        }
        return policy;
    }

    private static void closed(Map<?, ?> m, String prefix, Set<String> allowed) {
        for (Object k : m.keySet()) {
            if (!allowed.contains(k)) {
                throw violation("trust policy has unknown key " + prefix + k);
            }
        }
    }

    private static String nonEmpty(Map<?, ?> m, String key, String path) {
        if (!(m.get(key) instanceof String s) || s.isEmpty()) {
            throw violation("trust policy " + path + "." + key + " must be a non-empty string");
        }
        return s;
    }

    private static MdaConfigException violation(String message) {
        return new MdaConfigException(MdaErrorCategory.TRUST_POLICY_VIOLATION, message);
    }
}
