/**
 * LLMix core: exception roots shared by every capability package.
 */
@NullMarked
package dev.llmix;

import org.jspecify.annotations.NullMarked;
