package dev.llmix.config.mda;

/**
 * What a {@link DidWebVerifier} checks.
 *
 * @param domain       the signer's domain ({@code did-web:<domain>})
 * @param keyId        the verification method id, e.g. {@code did:web:example.com#root}
 * @param algorithm    {@code ed25519}, {@code ecdsa-p256} or {@code rsa-pss-sha256}
 * @param signature    standard base64 signature
 * @param payloadType  the DSSE payload type
 * @param payloadBytes the signed payload
 * @param paeBytes     the DSSE pre-authentication encoding that was signed
 */
public record DidWebVerificationInput(String domain, String keyId, String algorithm, String signature,
        String payloadType, byte[] payloadBytes, byte[] paeBytes) {

    @Override
    public boolean equals(Object o) {
        return o instanceof DidWebVerificationInput other && domain.equals(other.domain) && keyId.equals(other.keyId)
                && algorithm.equals(other.algorithm) && signature.equals(other.signature)
                && payloadType.equals(other.payloadType)
                && java.util.Arrays.equals(payloadBytes, other.payloadBytes)
                && java.util.Arrays.equals(paeBytes, other.paeBytes);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(domain, keyId, algorithm, signature, payloadType,
                java.util.Arrays.hashCode(payloadBytes), java.util.Arrays.hashCode(paeBytes));
    }

    @Override
    public String toString() {
        return "DidWebVerificationInput[domain=" + domain + ", keyId=" + keyId + ", algorithm=" + algorithm
                + ", payloadType=" + payloadType + ", payload=" + payloadBytes.length + " bytes]";
    }
}
