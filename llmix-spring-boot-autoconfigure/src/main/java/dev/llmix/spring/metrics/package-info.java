/**
 * Micrometer meters and the observation around each LLMix call.
 */
@NullMarked
package dev.llmix.spring.metrics;

import org.jspecify.annotations.NullMarked;
