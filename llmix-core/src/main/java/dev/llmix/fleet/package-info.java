/**
 * Fleet coordination through one Redis (docs/fleet.md): the runtime (connection, Redis clock, membership, the events
 * channel, outage and recovery), the shared circuit breakers and key health built on it, and FLEET rate budgets that
 * lease tokens from Bucket4j buckets shared by every instance (docs/fleet-budgets.md). Lettuce and Bucket4j are
 * optional dependencies: only applications that enable a fleet feature load these classes.
 */
@NullMarked
package dev.llmix.fleet;

import org.jspecify.annotations.NullMarked;
