package dev.llmix.spring.autoconfigure.diagnostics;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One problem found while validating presets at start-up.
 *
 * @param file    the preset file (absolute path or class path location)
 * @param line    the 1-based line in the file, when known
 * @param field   the frontmatter field, e.g. {@code metadata.snoai-llmix.common.temperature}, when known
 * @param problem what is wrong, e.g. {@code must be between 0 and 2 (got 7)}
 */
public record PresetProblem(String file, @Nullable Integer line, @Nullable String field, String problem) {

    public PresetProblem {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(problem, "problem");
    }

    /** {@code file:line: field: problem}, leaving out what is unknown. */
    @Override
    public String toString() {
        return file + (line == null ? "" : ":" + line) + ": " + (field == null ? "" : field + ": ") + problem;
    }
}
