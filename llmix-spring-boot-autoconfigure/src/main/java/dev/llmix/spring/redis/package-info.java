/**
 * The Redis L2 transport of the LLMix response cache, on Spring Data Redis with Lettuce. Optional: it is used only
 * when {@code spring-data-redis} (for example through {@code spring-boot-starter-data-redis}) is on the classpath.
 */
@NullMarked
package dev.llmix.spring.redis;

import org.jspecify.annotations.NullMarked;
