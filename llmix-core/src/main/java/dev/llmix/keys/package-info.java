/**
 * API-key pools, key loading from the environment, and key masking.
 */
@NullMarked
package dev.llmix.keys;

import org.jspecify.annotations.NullMarked;
