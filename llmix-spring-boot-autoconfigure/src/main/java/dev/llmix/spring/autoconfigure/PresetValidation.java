package dev.llmix.spring.autoconfigure;

import dev.llmix.config.LlmConfig;
import dev.llmix.internal.config.LlmConfigRules;
import dev.llmix.config.mda.FileLines;
import dev.llmix.config.mda.MdaConfigException;
import dev.llmix.config.mda.MdaErrorCategory;
import dev.llmix.spring.autoconfigure.diagnostics.PresetProblem;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Start-up validation of every preset file: each failure becomes {@link PresetProblem}s with the file, the line and the
 * field (validation issues are {@code path: message}; the path is looked up in the file's frontmatter). A misspelt
 * provider gets a suggestion. Start-up only, never on the call path.
 */
final class PresetValidation {

    /** The provider names a preset may use with each built-in adapter (adapter property name → providers). */
    static final Map<String, Set<String>> ADAPTER_PROVIDERS = Map.of(
            "openai", Set.of("openai", "deepseek", "openrouter", "deepinfra", "novita", "together"),
            "anthropic", Set.of("anthropic"),
            "gemini", Set.of("google"),
            "sno-gpu", Set.of("sno-gpu"));

    private static final Pattern YAML_LINE = Pattern.compile("line (\\d+), column");
    private static final Pattern GOT = Pattern.compile("\\(got \"([^\"]*)\"\\)");
    private static final String PROVIDER_FIELD = "metadata.snoai-llmix.common.provider";

    private PresetValidation() {
    }

    /**
     * One file to validate.
     *
     * @param name    {@code module/preset}
     * @param display the file as shown in messages
     * @param text    the file's text, for line lookups ({@code null} when it cannot be read)
     * @param load    parses and validates the preset, throwing the loader's exception
     */
    record Candidate(String name, String display, Supplier<@Nullable String> text, Supplier<LlmConfig> load) {
    }

    /** Valid presets by {@code module/preset}, and the problems of the others. */
    record Result(Map<String, LlmConfig> presets, Map<String, Candidate> files, List<PresetProblem> problems) {
    }

    static Result validate(List<Candidate> candidates) {
        // Files are independent: parse them on every core (start-up usually has idle ones), then report in order.
        List<Object> outcomes = candidates.parallelStream().map(c -> {
            try {
                return (Object) c.load().get();
            } catch (RuntimeException e) {
                return (Object) problemsOf(c, e);
            }
        }).toList();
        Map<String, LlmConfig> presets = new LinkedHashMap<>();
        Map<String, Candidate> files = new LinkedHashMap<>();
        List<PresetProblem> problems = new ArrayList<>();
        for (int i = 0; i < candidates.size(); i++) {
            Candidate c = candidates.get(i);
            files.put(c.name(), c);
            if (outcomes.get(i) instanceof LlmConfig config) {
                presets.put(c.name(), config);
            } else {
                @SuppressWarnings("unchecked")
                List<PresetProblem> found = (List<PresetProblem>) outcomes.get(i);
                problems.addAll(found);
            }
        }
        return new Result(presets, files, problems);
    }

    /** Presets whose provider the single enabled adapter does not serve. */
    static List<PresetProblem> unservedProviders(Result result, java.util.Collection<String> enabled) {
        List<PresetProblem> problems = new ArrayList<>();
        result.presets().forEach((name, config) -> {
            dev.llmix.providers.ProviderSpec spec = dev.llmix.providers.ProviderSpecs.builtIn().find(config.provider());
            boolean served = enabled.contains(config.provider()) || (spec != null && enabled.contains(spec.name()));
            if (!served) {
                Candidate c = result.files().get(name);
                String text = c.text().get();
                problems.add(new PresetProblem(c.display(), text == null ? null : FileLines.lineOf(text,
                        PROVIDER_FIELD), PROVIDER_FIELD, "provider '" + config.provider() + "' has no adapter: the "
                        + "enabled adapters serve " + String.join(", ", new java.util.TreeSet<>(enabled))
                        + "; enable it with llmix.provider." + config.provider() + ".enabled=true or define your own "
                        + "DispatchFunction bean"));
            }
        });
        return problems;
    }

    static List<PresetProblem> problemsOf(Candidate c, RuntimeException e) {
        String message = e.getMessage() == null ? e.toString() : e.getMessage();
        if (e instanceof MdaConfigException mda) {
            if (mda.category() == MdaErrorCategory.FRONTMATTER_YAML_PARSE_ERROR) {
                Matcher m = YAML_LINE.matcher(message);
                return List.of(new PresetProblem(c.display(), m.find() ? Integer.valueOf(m.group(1)) : null, null,
                        message));
            }
            if (mda.details().get("issues") instanceof List<?> issues && !issues.isEmpty()) {
                String text = c.text().get();
                List<PresetProblem> out = new ArrayList<>();
                for (Object o : issues) {
                    out.add(issue(c.display(), text, String.valueOf(o)));
                }
                return out;
            }
        }
        return List.of(new PresetProblem(c.display(), null, null, message));
    }

    private static PresetProblem issue(String file, @Nullable String text, String issue) {
        int colon = issue.indexOf(": ");
        if (colon < 0) {
            return new PresetProblem(file, null, null, issue);
        }
        String field = issue.substring(0, colon);
        String problem = issue.substring(colon + 2);
        if (field.endsWith(".provider") && problem.startsWith("must be one of")) {
            Matcher got = GOT.matcher(problem);
            if (got.find()) {
                problem = unknownProvider(got.group(1));
            }
        }
        return new PresetProblem(file, text == null ? null : FileLines.lineOf(text, field), field, problem);
    }

    /** "unknown provider 'opnai' (did you mean 'openai'?)", the suggestion only for a near miss. */
    static String unknownProvider(String name) {
        String best = dev.llmix.internal.EditDistance.nearest(name, LlmConfigRules.PROVIDERS,
                Math.max(2, name.length() / 3));
        String text = "unknown provider '" + name + "'";
        if (best != null) {
            return text + " (did you mean '" + best + "'?)";
        }
        return text + " (one of " + String.join(", ", LlmConfigRules.PROVIDERS) + ")";
    }
}
