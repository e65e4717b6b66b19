package dev.llmix.spring.killswitch;

import dev.llmix.resilience.KillSwitch;
import dev.llmix.resilience.KillSwitchStatus;
import java.util.Objects;
import java.util.function.Supplier;

/** The kill switch file of this instance ({@code <stateDir>/killswitch}), the default scope. */
public final class LocalKillSwitch implements LlmixKillSwitch {

    private final Supplier<KillSwitch> file;

    /** A switch over the pipeline's kill switch file, looked up when first needed. */
    public LocalKillSwitch(Supplier<KillSwitch> file) {
        this.file = Objects.requireNonNull(file, "file");
    }

    @Override
    public KillSwitchScope scope() {
        return KillSwitchScope.LOCAL;
    }

    @Override
    public KillSwitchState state() {
        KillSwitchStatus s = file.get().status();
        return new KillSwitchState(s.active(), KillSwitchScope.LOCAL, s.path(), s.reason(), s.since());
    }

    @Override
    public void engage(String reason) {
        file.get().engage(reason);
    }

    @Override
    public void release() {
        file.get().release();
    }
}
