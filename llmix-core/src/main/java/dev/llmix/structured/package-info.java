/**
 * Structured output: JSON Schemas generated from records and beans, the options and results of
 * {@code LlmixClient.callForObject}, and its typed failure (docs/tools.md).
 */
@NullMarked
package dev.llmix.structured;

import org.jspecify.annotations.NullMarked;
