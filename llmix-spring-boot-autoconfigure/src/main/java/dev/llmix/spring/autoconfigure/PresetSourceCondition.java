package dev.llmix.spring.autoconfigure;

import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/** Matches the preset source bean that {@link PresetLocation} selects; one nested condition per kind of source. */
abstract class PresetSourceCondition implements Condition {

    @Override
    public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
        try {
            return matches(PresetLocation.resolve(context.getEnvironment(), context.getResourceLoader()));
        } catch (IllegalArgumentException e) {
            // An unknown mode: let property binding report it with the property's name.
            return false;
        }
    }

    abstract boolean matches(PresetLocation location);

    /** The published registry ({@code mode=registry}); a class path root fails in the bean with an explanation. */
    static final class Registry extends PresetSourceCondition {
        @Override
        boolean matches(PresetLocation location) {
            return location.mode() == PresetSourceMode.REGISTRY;
        }
    }

    /** {@code .mda} sources in a directory. */
    static final class SourceDirectory extends PresetSourceCondition {
        @Override
        boolean matches(PresetLocation location) {
            return location.mode() == PresetSourceMode.SOURCE && location.directory() != null;
        }
    }

    /** {@code .mda} sources on the class path, e.g. packaged in the application's jar. */
    static final class SourceClasspath extends PresetSourceCondition {
        @Override
        boolean matches(PresetLocation location) {
            return location.mode() == PresetSourceMode.SOURCE && location.classpath() != null;
        }
    }
}
