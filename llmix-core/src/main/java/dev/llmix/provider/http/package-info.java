/**
 * Optional HTTP adapters: {@link dev.llmix.spi.DispatchFunction} implementations for OpenAI-compatible chat
 * completions, Anthropic messages, Gemini {@code generateContent} and the sno-gpu gateway, built on the JDK
 * {@link java.net.http.HttpClient} and Jackson only. Start at {@link dev.llmix.providers.ProviderAdapters}.
 */
@NullMarked
package dev.llmix.provider.http;

import dev.llmix.providers.ProviderAdapters;
import org.jspecify.annotations.NullMarked;
