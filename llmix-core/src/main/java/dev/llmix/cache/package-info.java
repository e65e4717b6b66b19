/**
 * Response caching: the canonical cache key, the two-tier (in-process L1, shared L2) response cache and the L2
 * transport SPI.
 */
@NullMarked
package dev.llmix.cache;

import org.jspecify.annotations.NullMarked;
