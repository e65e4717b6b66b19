/**
 * Resilience primitives of the call pipeline: circuit breaker, retry policy, kill switch, singleflight, the
 * cross-process lock and state-directory resolution.
 */
@NullMarked
package dev.llmix.resilience;

import org.jspecify.annotations.NullMarked;
