package dev.llmix.config.mda;

import dev.llmix.internal.config.LlmConfigRules;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The LLMix project rules over a whole frontmatter: required {@code name}, {@code description} and
 * {@code metadata.snoai-llmix}, a well-formed {@code requires.network}, and the namespace rules of
 * {@link LlmConfigRules#validateNamespace}. Failures are {@code project-schema-violation}.
 */
public final class LlmixProjectValidator implements MdaProjectValidator {

    /** The vendor namespace LLMix reads. */
    public static final String NAMESPACE = "snoai-llmix";
    /** The shared instance. */
    public static final LlmixProjectValidator INSTANCE = new LlmixProjectValidator();

    private LlmixProjectValidator() {
    }

    @Override
    public void validate(Map<String, @Nullable Object> fm, String source) {
        List<String> issues = new ArrayList<>();
        if (!(fm.get("name") instanceof String n) || n.isEmpty()) {
            issues.add("name: is required (non-empty string)");
        }
        if (!(fm.get("description") instanceof String d) || d.isEmpty()) {
            issues.add("description: is required (non-empty string)");
        }
        if (fm.containsKey("requires")) {
            if (!(fm.get("requires") instanceof Map<?, ?> req)) {
                issues.add("requires: must be an object");
            } else if (req.containsKey("network")) {
                Object network = req.get("network");
                boolean ok = "none".equals(network) || "local".equals(network) || "public".equals(network)
                        || (network instanceof List<?> l && l.stream().allMatch(h -> h instanceof String));
                if (!ok) {
                    issues.add("requires.network: must be \"none\", \"local\", \"public\" or an array of strings");
                }
            }
        }
        if (!(fm.get("metadata") instanceof Map<?, ?> metadata)) {
            issues.add("metadata: is required and must contain " + NAMESPACE);
        } else if (!metadata.containsKey(NAMESPACE)) {
            issues.add("metadata." + NAMESPACE + ": is required");
        } else if (!(metadata.get(NAMESPACE) instanceof Map<?, ?> ns)) {
            issues.add("metadata." + NAMESPACE + ": must be an object");
        } else {
            @SuppressWarnings("unchecked")
            Map<String, ?> namespace = (Map<String, ?>) ns;
            issues.addAll(LlmConfigRules.validateNamespace(namespace, "metadata." + NAMESPACE));
        }
        if (!issues.isEmpty()) {
            throw new MdaConfigException(MdaErrorCategory.PROJECT_SCHEMA_VIOLATION, "LLMix preset validation failed "
                    + "for " + source + ": " + String.join("; ", issues), Map.of("issues", issues), null);
        }
    }
}
