/**
 * The Config Registry runtime: opens a published registry ({@code current.json} → {@code compiled/<rev>/}),
 * verifies its digest chain and optional signed root, serves presets and hot-switches revisions
 * ({@link dev.llmix.config.registry.ConfigRegistryManager}).
 */
@NullMarked
package dev.llmix.config.registry;

import org.jspecify.annotations.NullMarked;
