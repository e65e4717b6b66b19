package dev.llmix.config.mda;

/**
 * Verifies a {@code did:web} signature: resolves the key for the key id and checks the signature over the DSSE PAE.
 * {@link OfflineDidWebVerifier} does this from local DID documents.
 */
@FunctionalInterface
public interface DidWebVerifier {

    /** True when the signature is valid for a key the domain's DID document lists under {@code keyId}. */
    boolean verify(DidWebVerificationInput input);
}
