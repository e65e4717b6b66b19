/**
 * The engine's LOCAL rate budgets (docs/rate-limits.md): one Resilience4j {@code AtomicRateLimiter} per budget
 * dimension, reservations instead of parked threads, credit for refunds and debt for corrections.
 */
@NullMarked
package dev.llmix.internal.budget;

import org.jspecify.annotations.NullMarked;
