/**
 * The application-facing entry point: {@link dev.llmix.client.LlmixClient} calls a preset by module and name (or an
 * explicit config) with chat messages and optional runtime overrides. No Spring dependency.
 */
@NullMarked
package dev.llmix.client;

import org.jspecify.annotations.NullMarked;
