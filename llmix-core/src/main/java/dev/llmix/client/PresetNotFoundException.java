package dev.llmix.client;

import dev.llmix.config.ConfigNotFoundException;
import org.jspecify.annotations.Nullable;

/**
 * {@link LlmixClient} was asked for a preset that its {@link PresetResolver} does not know: a programming or deployment
 * error (a typo in the module or preset name, a preset file missing from the jar), not an ordinary call failure, so it
 * is thrown rather than returned as a failed {@code CallResponse}. It is a {@link ConfigNotFoundException}, so existing
 * {@code catch (ConfigNotFoundException e)} blocks still catch it.
 */
public class PresetNotFoundException extends ConfigNotFoundException {

    private static final long serialVersionUID = 1L;

    private final String module;
    private final String preset;

    public PresetNotFoundException(String module, String preset, @Nullable Throwable cause) {
        super("Unknown preset " + module + "/" + preset
                + (cause == null || cause.getMessage() == null ? "" : " (" + cause.getMessage() + ")"), cause);
        this.module = module;
        this.preset = preset;
    }

    /** The module that was asked for, e.g. {@code chat}. */
    public String module() {
        return module;
    }

    /** The preset that was asked for, e.g. {@code reply}. */
    public String preset() {
        return preset;
    }
}
