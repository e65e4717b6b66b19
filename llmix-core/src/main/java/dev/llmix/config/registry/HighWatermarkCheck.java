package dev.llmix.config.registry;

import java.util.Map;

/**
 * An external freshness anchor: given a verified registry root, answers whether it is acceptable (for example not
 * older than the last root this deployment saw, kept in a store outside the registry).
 */
@FunctionalInterface
public interface HighWatermarkCheck {

    /** True to accept the root. */
    boolean accept(Input input);

    /**
     * What the check sees.
     *
     * @param envelope         the parsed {@code registry-root.json}
     * @param payload          its {@code payload}
     * @param canonicalPayload the exact payload text that was hashed and signed
     * @param integrity        the envelope's {@code integrity}
     * @param payloadType      the DSSE payload type
     * @param payloadDigest    {@code sha256:<payload_sha256>}
     */
    record Input(Map<String, ?> envelope, Map<String, ?> payload, String canonicalPayload, Map<String, ?> integrity,
            String payloadType, String payloadDigest) {
    }
}
