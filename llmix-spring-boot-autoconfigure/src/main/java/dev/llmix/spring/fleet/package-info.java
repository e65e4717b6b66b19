/**
 * Spring wiring of fleet coordination (docs/fleet.md): the {@code llmix.fleet.*} properties, the fleet runtime on an
 * isolated Lettuce connection, shared breakers and key health, and their metrics.
 */
@NullMarked
package dev.llmix.spring.fleet;

import org.jspecify.annotations.NullMarked;
