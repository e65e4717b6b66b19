package dev.llmix.config.mda;

/**
 * Verifies a Sigstore signature: Fulcio certificate chain, inclusion proof and the signature over the DSSE PAE.
 * LLMix core ships no implementation (it would need Sigstore trust roots and network access); an adapter over
 * sigstore-java can implement this interface.
 */
@FunctionalInterface
public interface SigstoreVerifier {

    /**
     * Verifies and returns the certificate identity.
     *
     * @throws RuntimeException on any verification failure (reported as {@code signature-verification-failure})
     */
    SigstoreVerificationResult verify(RekorEntry entry, SignatureEntry signature, byte[] paeBytes);
}
