package dev.llmix.config.mda;

import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One entry of an {@code .mda} (or registry-root) {@code signatures} array.
 *
 * @param signer        {@code sigstore-oidc:<issuer>} or {@code did-web:<domain>}
 * @param keyId         the signing key id
 * @param payloadDigest must equal {@code integrity.digest}
 * @param algorithm     {@code ed25519}, {@code ecdsa-p256} or {@code rsa-pss-sha256}
 * @param signature     standard base64 of the raw signature over the DSSE PAE
 * @param rekorLogId    Rekor log id (Sigstore signers only)
 * @param rekorLogIndex Rekor log index (Sigstore signers only)
 * @param payloadType   DSSE payload type, or null for {@link #DEFAULT_PAYLOAD_TYPE}
 */
public record SignatureEntry(String signer, String keyId, String payloadDigest, String algorithm, String signature,
        @Nullable String rekorLogId, @Nullable Long rekorLogIndex, @Nullable String payloadType) {

    /** The payload type assumed when a signature declares none. */
    public static final String DEFAULT_PAYLOAD_TYPE = "application/vnd.mda.integrity+json";
    /** The payload type reserved for LLMix presets. */
    public static final String LLMIX_PRESET_PAYLOAD_TYPE = "application/vnd.snoai-llmix.preset+json";

    /** The declared payload type or the default. */
    public String effectivePayloadType() {
        return payloadType != null ? payloadType : DEFAULT_PAYLOAD_TYPE;
    }

    /** Reads a schema-checked signature object; missing strings become empty strings. */
    static SignatureEntry fromMap(Map<?, ?> m) {
        Object index = m.get("rekor-log-index");
        return new SignatureEntry(str(m.get("signer")), str(m.get("key-id")), str(m.get("payload-digest")),
                str(m.get("algorithm")), str(m.get("signature")),
                m.get("rekor-log-id") instanceof String s ? s : null,
                index instanceof Number n ? (Long) n.longValue() : null,
                m.get("payload-type") instanceof String t ? t : null);
    }

    private static String str(@Nullable Object o) {
        return o instanceof String s ? s : "";
    }
}
