/**
 * The Actuator endpoint {@code llmix} and the {@code llmix} health contributor.
 */
@NullMarked
package dev.llmix.spring.actuate;

import org.jspecify.annotations.NullMarked;
