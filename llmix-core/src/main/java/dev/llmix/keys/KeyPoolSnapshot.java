package dev.llmix.keys;

import java.util.List;

/**
 * A point-in-time view of a {@link KeyPool} for health and metrics endpoints; keys appear only in masked form.
 *
 * @param alive           number of keys not marked dead
 * @param total           number of distinct keys
 * @param maskedAliveKeys the live keys in pool order, each masked with {@link ApiKeys#mask(String)}
 */
public record KeyPoolSnapshot(int alive, int total, List<String> maskedAliveKeys) {

    public KeyPoolSnapshot {
        maskedAliveKeys = List.copyOf(maskedAliveKeys);
    }
}
