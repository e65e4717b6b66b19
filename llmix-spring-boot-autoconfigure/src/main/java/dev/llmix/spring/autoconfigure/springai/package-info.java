/**
 * Auto-configuration of the Spring AI bridge ({@code llmix-spring-ai}): an {@code LlmixChatModel} bean, and Spring AI
 * {@code ChatModel} beans serving LLMix providers ({@code llmix.provider.<name>.spring-ai-model}). Active only when
 * Spring AI and {@code llmix-spring-ai} are on the classpath. See {@code docs/spring-ai.md}.
 */
@NullMarked
package dev.llmix.spring.autoconfigure.springai;

import org.jspecify.annotations.NullMarked;
