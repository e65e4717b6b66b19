/**
 * The runtime preset model ({@link dev.llmix.config.LlmConfig}) that every call is made with.
 */
@NullMarked
package dev.llmix.config;

import org.jspecify.annotations.NullMarked;
