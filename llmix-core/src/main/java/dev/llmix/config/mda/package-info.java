/**
 * {@code .mda} preset files: extraction, YAML 1.2 frontmatter, the MDA source schema, integrity digests, signatures,
 * {@code requires.network}, and the LLMix projection into {@link dev.llmix.config.LlmConfig}
 * ({@link dev.llmix.config.mda.MdaPresetLoader}).
 */
@NullMarked
package dev.llmix.config.mda;

import org.jspecify.annotations.NullMarked;
