/**
 * The provider descriptors: one {@link dev.llmix.providers.ProviderSpec} per provider (name and aliases, key
 * environment variables, default base URL, kwargs transform, options schema, adapter factory), registered in
 * {@link dev.llmix.providers.ProviderSpecs}, and the routing dispatch built from them. Adding a provider is one
 * descriptor file plus its tests (docs/architecture.md, "How to add a provider").
 */
@NullMarked
package dev.llmix.providers;

import org.jspecify.annotations.NullMarked;
