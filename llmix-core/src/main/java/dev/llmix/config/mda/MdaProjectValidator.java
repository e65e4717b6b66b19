package dev.llmix.config.mda;

import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The last stage of the MDA source loader: a project's own rules over the whole frontmatter. Throw an
 * {@link MdaConfigException} with {@link MdaErrorCategory#PROJECT_SCHEMA_VIOLATION} to reject.
 */
@FunctionalInterface
public interface MdaProjectValidator {

    /** Accepts any frontmatter. */
    MdaProjectValidator PERMISSIVE = (frontmatter, source) -> { };

    /** Validates the frontmatter of {@code source}. */
    void validate(Map<String, @Nullable Object> frontmatter, String source);
}
