/**
 * Spring MVC support: returning an LLMix stream as server-sent events.
 */
@NullMarked
package dev.llmix.spring.mvc;

import org.jspecify.annotations.NullMarked;
