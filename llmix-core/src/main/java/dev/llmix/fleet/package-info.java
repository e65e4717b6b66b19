/**
 * Fleet coordination on Redis: FLEET rate budgets leasing tokens from Bucket4j buckets shared by every instance
 * (docs/fleet-budgets.md).
 */
@NullMarked
package dev.llmix.fleet;

import org.jspecify.annotations.NullMarked;
