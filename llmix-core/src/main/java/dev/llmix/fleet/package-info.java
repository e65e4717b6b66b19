/**
 * Fleet coordination through one Redis (docs/fleet.md): the runtime (connection, Redis clock, membership, the events
 * channel, outage and recovery) and the shared circuit breakers and key health built on it. Lettuce is an optional
 * dependency: only applications that enable a fleet feature load these classes.
 */
@NullMarked
package dev.llmix.fleet;

import org.jspecify.annotations.NullMarked;
