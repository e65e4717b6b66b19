/**
 * Spring Boot auto-configuration of LLMix: properties under {@code llmix.*}, the pipeline, the response cache, the
 * preset source, the provider adapter and {@link dev.llmix.client.LlmixClient}.
 */
@NullMarked
package dev.llmix.spring.autoconfigure;

import org.jspecify.annotations.NullMarked;
