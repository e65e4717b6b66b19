package dev.llmix.fleet;

import tools.jackson.databind.JsonNode;

/**
 * Receives one type of message from the fleet events channel (docs/fleet.md), on the fleet thread; own messages are
 * filtered out before.
 */
@FunctionalInterface
public interface FleetEventListener {

    /**
     * Applies a message.
     *
     * @return true when it changed local state ({@code applied}), false when it was stale or irrelevant ({@code ignored})
     * @throws IllegalArgumentException when a required field is missing or malformed (counted as {@code malformed})
     */
    boolean onEvent(JsonNode message);
}
