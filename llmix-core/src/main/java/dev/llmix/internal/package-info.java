/**
 * Implementation helpers shared across packages; not part of the supported API.
 */
@NullMarked
package dev.llmix.internal;

import org.jspecify.annotations.NullMarked;
