package dev.llmix.spring.killswitch;

/**
 * The operator's kill switch as the Actuator endpoint and the health contributor see it: read its state, engage it
 * with a reason, release it. {@link LocalKillSwitch} wraps the pipeline's file; {@link FleetKillSwitch} adds a Redis
 * key shared by every instance.
 */
public interface LlmixKillSwitch {

    /** Where this switch lives. */
    KillSwitchScope scope();

    /** The current state; never blocks on the network. */
    KillSwitchState state();

    /** Stops all LLMix calls (of the fleet, for {@link KillSwitchScope#FLEET}) until released. */
    void engage(String reason);

    /** Resumes calls: removes the fleet key (in fleet scope) and this instance's kill switch file. */
    void release();
}
