/**
 * The call pipeline and the data shapes that flow through it.
 */
@NullMarked
package dev.llmix.pipeline;

import org.jspecify.annotations.NullMarked;
