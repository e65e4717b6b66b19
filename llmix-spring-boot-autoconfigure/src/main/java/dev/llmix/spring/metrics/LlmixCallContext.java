package dev.llmix.spring.metrics;

import dev.llmix.spi.CallEvent;
import dev.llmix.spi.CallInput;
import io.micrometer.observation.Observation;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/** The observation context of one LLMix call: the request at the start, the {@link CallEvent} once it ended. */
public class LlmixCallContext extends Observation.Context {

    private final CallInput input;
    private volatile @Nullable CallEvent event;

    public LlmixCallContext(CallInput input) {
        this.input = Objects.requireNonNull(input, "input");
    }

    /** The request (preset and messages). */
    public CallInput getInput() {
        return input;
    }

    /** The preset's provider. */
    public String getProvider() {
        return input.config().provider();
    }

    /** The preset's model. */
    public String getModel() {
        return input.config().model();
    }

    /** How the call ended, or {@code null} while it runs. */
    public @Nullable CallEvent getEvent() {
        return event;
    }

    public void setEvent(@Nullable CallEvent event) {
        this.event = event;
    }
}
