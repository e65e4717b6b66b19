/** The sample's Prometheus scrape endpoint (docs/observability.md). */
@NullMarked
package dev.llmix.sample.metrics;

import org.jspecify.annotations.NullMarked;
