package dev.llmix.config;

import dev.llmix.internal.config.LlmConfigJson;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Hostile-input item 5 of docs/reliability.md: what {@code LlmConfigJson} cannot write it does not read either. */
class HostileConfigJsonTest {

    @Test
    void readRefuses1e400InProviderOptions() {
        assertThatThrownBy(() -> LlmConfigJson.read("{\"provider\":\"openai\",\"model\":\"gpt-4o-mini\","
                + "\"providerOptions\":{\"openai\":{\"prediction\":{\"type\":\"content\",\"n\":1e400}}}}"))
                .isExactlyInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("not a finite double");
    }

    @Test
    void writeOfANonFiniteNumberIsTheSameTypedError() {
        LlmConfig config = LlmConfig.builder("openai", "gpt-4o-mini")
                .providerOptions(Map.of("openai", Map.of("prediction", Map.of("n", Double.POSITIVE_INFINITY))))
                .build();
        assertThatThrownBy(() -> LlmConfigJson.write(config)).isExactlyInstanceOf(InvalidConfigException.class);
        assertThatThrownBy(() -> LlmConfigJson.writePretty(config)).isExactlyInstanceOf(InvalidConfigException.class);
    }
}
