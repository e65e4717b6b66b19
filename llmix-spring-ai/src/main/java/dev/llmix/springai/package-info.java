/**
 * Spring AI over LLMix: {@link dev.llmix.springai.LlmixChatModel}, a Spring AI {@code ChatModel} whose every call is
 * one LLMix pipeline call, and its options, metadata keys, exception and observation convention. See
 * {@code docs/spring-ai.md}.
 */
@NullMarked
package dev.llmix.springai;

import org.jspecify.annotations.NullMarked;
