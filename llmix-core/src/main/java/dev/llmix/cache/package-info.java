/**
 * The response cache: canonical JSON, cache keys shared byte for byte with the other LLMix bindings, and the
 * two-tier (in-process + Redis) cache.
 */
@NullMarked
package dev.llmix.cache;

import org.jspecify.annotations.NullMarked;
