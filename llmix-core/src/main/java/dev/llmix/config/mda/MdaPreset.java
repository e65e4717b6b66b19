package dev.llmix.config.mda;

import dev.llmix.config.LlmConfig;
import java.nio.file.Path;

/**
 * A preset loaded from an {@code .mda} file: the runtime config plus what the MDA layer surfaced (integrity,
 * signatures, {@code requires.network}).
 *
 * @param file   the absolute file path
 * @param config the projected, validated config
 * @param source the MDA source details
 */
public record MdaPreset(Path file, LlmConfig config, MdaSource source) {
}
