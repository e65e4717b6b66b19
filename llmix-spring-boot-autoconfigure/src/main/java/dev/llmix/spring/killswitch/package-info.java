/**
 * The operator kill switch as seen by Spring: local (the state-directory file) or fleet-wide (Redis).
 */
@NullMarked
package dev.llmix.spring.killswitch;

import org.jspecify.annotations.NullMarked;
