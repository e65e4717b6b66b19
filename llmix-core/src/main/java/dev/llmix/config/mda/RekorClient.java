package dev.llmix.config.mda;

import java.util.Optional;

/**
 * Looks up Rekor transparency-log entries. LLMix never talks to the network itself; supply an implementation (for
 * example one reading local entry files, or an HTTP client for {@code GET <url>/api/v1/log/entries?logIndex=n}).
 */
public interface RekorClient {

    /** The Rekor URL this client talks to, if fixed; it must equal the trust policy's {@code rekor.url}. */
    default Optional<String> url() {
        return Optional.empty();
    }

    /** The entry at {@code logIndex}, or empty when not found. */
    Optional<RekorEntry> fetchEntry(String rekorUrl, String logId, long logIndex);
}
