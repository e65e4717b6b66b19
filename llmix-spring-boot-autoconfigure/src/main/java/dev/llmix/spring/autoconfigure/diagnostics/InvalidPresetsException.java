package dev.llmix.spring.autoconfigure.diagnostics;

import dev.llmix.LlmixException;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Thrown at start-up ({@code llmix.config.validate-on-startup=true}, the default) when presets under the source root
 * do not parse or validate, or name a provider no adapter serves. Lists every problem with its file, line and field.
 */
public class InvalidPresetsException extends LlmixException {

    private static final long serialVersionUID = 1L;

    /** At most this many problems are spelled out in the message. */
    static final int SHOWN = 20;

    private final transient List<PresetProblem> problems;

    public InvalidPresetsException(List<PresetProblem> problems) {
        super(message(problems));
        this.problems = List.copyOf(problems);
    }

    /** Every problem found, in file order. */
    public List<PresetProblem> problems() {
        return problems;
    }

    private static String message(List<PresetProblem> problems) {
        String shown = problems.stream().limit(SHOWN).map(p -> "  - " + p).collect(Collectors.joining("\n"));
        String more = problems.size() > SHOWN ? "\n  … and " + (problems.size() - SHOWN) + " more" : "";
        return "LLMix found " + problems.size() + " problem" + (problems.size() == 1 ? "" : "s")
                + " in its presets:\n" + shown + more;
    }
}
