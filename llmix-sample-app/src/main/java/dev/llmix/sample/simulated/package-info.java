/** A simulated LLM provider so that the sample runs offline, without an API key. */
@NullMarked
package dev.llmix.sample.simulated;

import org.jspecify.annotations.NullMarked;
