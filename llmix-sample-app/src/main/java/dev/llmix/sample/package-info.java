/** The LLMix sample application: a web app using LLMix through the Spring Boot starter only. */
@NullMarked
package dev.llmix.sample;

import org.jspecify.annotations.NullMarked;
