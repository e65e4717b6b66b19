package dev.llmix.config.mda;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A Rekor transparency-log entry as a {@link RekorClient} returns it.
 *
 * @param kind              entry kind; only {@code dsse-v0.0.1} is accepted
 * @param logId             the log id, must equal the signature's {@code rekor-log-id}
 * @param logIndex          the log index, must equal the signature's {@code rekor-log-index}
 * @param inclusionVerified must be {@code true}: the client checked the inclusion proof
 * @param certificatePem    the Fulcio certificate, for the Sigstore verifier
 * @param dsseEnvelope      the logged DSSE envelope
 * @param rawBundle         an opaque bundle for Sigstore verifier adapters
 */
public record RekorEntry(String kind, @Nullable String logId, @Nullable Long logIndex,
        @Nullable Boolean inclusionVerified, @Nullable String certificatePem, @Nullable DsseEnvelope dsseEnvelope,
        @Nullable Object rawBundle) {

    /** The DSSE envelope stored in a Rekor entry. */
    public record DsseEnvelope(String payloadType, String payload, List<DsseSignature> signatures) {
        public DsseEnvelope {
            signatures = List.copyOf(signatures);
        }
    }

    /** One signature of a DSSE envelope. */
    public record DsseSignature(String sig, String keyid) {
    }
}
