/**
 * The application each process of {@code FleetMultiProcessIT} runs (docs/fleet.md): the starter, a load generator
 * behind {@code POST /it/load} and its counters behind {@code GET /it/stats}.
 */
@NullMarked
package dev.llmix.fleetit;

import org.jspecify.annotations.NullMarked;
