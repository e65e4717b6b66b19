/**
 * Adaptive concurrency limiting: the AIMD semaphore that sizes a provider's in-flight window from 429s, successes and
 * OpenAI-style rate-limit headers.
 */
@NullMarked
package dev.llmix.limiter;

import org.jspecify.annotations.NullMarked;
