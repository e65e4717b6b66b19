package dev.llmix.spring.autoconfigure.springai;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/** Settings of the Spring AI bridge ({@code llmix.spring-ai.*}). */
@ConfigurationProperties("llmix.spring-ai")
public class LlmixSpringAiProperties {

    /** Whether the Spring AI bridge auto-configuration is active. */
    private boolean enabled = true;

    /** Module of the preset LlmixChatModel calls when a request names none. */
    private @Nullable String defaultModule;

    /** Preset LlmixChatModel calls when a request names none. */
    private @Nullable String defaultPreset;

    /** Whether the auto-configured LlmixChatModel is the primary ChatModel. */
    private boolean primary = true;

    private final Dispatch dispatch = new Dispatch();

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public @Nullable String getDefaultModule() {
        return defaultModule;
    }

    public void setDefaultModule(@Nullable String defaultModule) {
        this.defaultModule = defaultModule;
    }

    public @Nullable String getDefaultPreset() {
        return defaultPreset;
    }

    public void setDefaultPreset(@Nullable String defaultPreset) {
        this.defaultPreset = defaultPreset;
    }

    public boolean isPrimary() {
        return primary;
    }

    public void setPrimary(boolean primary) {
        this.primary = primary;
    }

    public Dispatch getDispatch() {
        return dispatch;
    }

    /** Settings of Spring AI models serving LLMix providers. */
    public static class Dispatch {

        /**
         * Whether delegate models keep their own chat-model observations (one per attempt; counted twice under
         * LlmixChatModel).
         */
        private boolean delegateObservations;

        public boolean isDelegateObservations() {
            return delegateObservations;
        }

        public void setDelegateObservations(boolean delegateObservations) {
            this.delegateObservations = delegateObservations;
        }
    }
}
