/**
 * Provider kwargs: the flat parameter map handed to dispatch, the per-provider transforms that shape it, and the
 * model-capability data those transforms consult.
 */
@NullMarked
package dev.llmix.provider;

import org.jspecify.annotations.NullMarked;
