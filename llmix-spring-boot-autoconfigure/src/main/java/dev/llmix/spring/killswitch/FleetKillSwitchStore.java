package dev.llmix.spring.killswitch;

import org.jspecify.annotations.Nullable;

/** Where the fleet-wide kill switch is shared: one key holding a small JSON document while engaged. */
public interface FleetKillSwitchStore {

    /** The document under the key, or {@code null} when the switch is released; throws when the store is unreachable. */
    @Nullable String read();

    /** Stores the document (no expiry). */
    void write(String document);

    /** Deletes the key. */
    void delete();

    /** The key's name, for messages (e.g. {@code llmix:killswitch}). */
    String describe();
}
