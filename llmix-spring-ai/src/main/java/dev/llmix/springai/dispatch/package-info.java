/**
 * LLMix over Spring AI: {@link dev.llmix.springai.dispatch.SpringAiDispatch}, an LLMix {@code DispatchFunction} that
 * sends each attempt through a Spring AI {@code ChatModel}, and the translation of Spring AI's exceptions into
 * {@code ProviderException}s. See {@code docs/spring-ai.md}.
 */
@NullMarked
package dev.llmix.springai.dispatch;

import org.jspecify.annotations.NullMarked;
