package dev.llmix.keys;

import dev.llmix.LlmixLocalException;

/**
 * Thrown by {@link KeyPool#select()} when every key of the pool has been marked dead (after 401/403 responses). A
 * local error: the pipeline neither retries it nor counts it against a circuit breaker. The message never contains a
 * key.
 */
public class KeyPoolExhaustedException extends LlmixLocalException {

    private static final long serialVersionUID = 1L;

    private final int totalCount;

    /** An exhaustion error for a pool of {@code totalCount} keys, all dead. */
    public KeyPoolExhaustedException(int totalCount) {
        super("All " + totalCount + " keys are dead (401/403). Replace keys or wait for provider resolution.");
        this.totalCount = totalCount;
    }

    /** Number of keys in the exhausted pool. */
    public int totalCount() {
        return totalCount;
    }
}
