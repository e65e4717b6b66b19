package dev.llmix.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Acceptance check 30 of resilience.md §13: {@code KeyPools.fromEnv} with an injected environment. */
class KeyPoolsTest {

    private static KeyPool load(String provider, Map<String, String> env) {
        return KeyPools.fromEnv(provider, env::get);
    }

    @Test
    void keysVariableIsSplitOnCommas() {
        assertThat(load("openai", Map.of("OPENAI_KEYS", "sk-1,sk-2,sk-3")).keys()).containsExactly("sk-1", "sk-2", "sk-3");
    }

    @Test
    void keysVariableDropsDuplicates() {
        assertThat(load("anthropic", Map.of("ANTHROPIC_KEYS", "a,b,a,c,b")).keys()).containsExactly("a", "b", "c");
    }

    @Test
    void keysVariableWinsOverApiKey() {
        assertThat(load("openai", Map.of("OPENAI_KEYS", "p1,p2", "OPENAI_API_KEY", "single")).keys())
                .containsExactly("p1", "p2");
    }

    @Test
    void blankKeysVariableFallsBackToApiKey() {
        assertThat(load("openai", Map.of("OPENAI_KEYS", "  \t ", "OPENAI_API_KEY", "single")).keys())
                .containsExactly("single");
    }

    @Test
    void keysVariableOfOnlyCommasFailsWithoutFallback() {
        assertThatThrownBy(() -> load("openai", Map.of("OPENAI_KEYS", ",,,", "OPENAI_API_KEY", "single")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("KeyPool requires at least one non-empty key");
    }

    @Test
    void apiKeyIsNeverSplit() {
        assertThat(load("openai", Map.of("OPENAI_API_KEY", "a,b")).keys()).containsExactly("a,b");
    }

    @Test
    void missingKeysNameBothVariables() {
        assertThatThrownBy(() -> load("openai", Map.of()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("No API keys found for OPENAI. Set OPENAI_KEYS (comma-separated) or OPENAI_API_KEY.");
    }

    @Test
    void hyphenatedProviderReadsUnderscoreVariable() {
        assertThat(KeyPools.envPrefix("sno-gpu")).isEqualTo("SNO_GPU");
        assertThat(load("sno-gpu", Map.of("SNO_GPU_KEYS", "g1,g2")).keys()).containsExactly("g1", "g2");
    }

    @Test
    void sharpSUpperCasesToDoubleS() {
        assertThat(load("straße", Map.of("STRASSE_API_KEY", "k")).keys()).containsExactly("k");
    }

    @Test
    void upperCasingIgnoresTheDefaultLocale() {
        assertThat(KeyPools.envPrefix("ınﬁ")).isEqualTo("INFI");
        assertThat(KeyPools.envPrefix("my--provider")).isEqualTo("MY__PROVIDER");
    }

    @Test
    void variableNamesAreCaseSensitive() {
        assertThatThrownBy(() -> load("openai", Map.of("openai_KEYS", "x")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("No API keys found for OPENAI.");
    }
}
