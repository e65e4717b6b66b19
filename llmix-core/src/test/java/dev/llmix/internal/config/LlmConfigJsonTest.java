package dev.llmix.internal.config;

import dev.llmix.config.CachingConfig;
import dev.llmix.config.CachingStrategy;
import dev.llmix.config.CommonParams;
import dev.llmix.config.InvalidConfigException;
import dev.llmix.config.LlmConfig;
import dev.llmix.config.TimeoutConfig;
import dev.llmix.internal.config.LlmConfigJson;
import dev.llmix.internal.json.Jcs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The camelCase JSON form of LlmConfig and the canonical JSON writers. */
class LlmConfigJsonTest {

    @Test
    void roundTripsAFullConfig() {
        LlmConfig config = LlmConfig.builder("anthropic", "claude-sonnet-4-5")
                .common(CommonParams.builder().temperature(0.5).maxOutputTokens(2048).stopSequences(List.of("x"))
                        .seed(-1).maxRetries(0).enableThinking(true).build())
                .providerOptions(Map.of("anthropic", Map.of("thinking", Map.of("type", "enabled", "budgetTokens", 1024))))
                .timeout(new TimeoutConfig(900, 12.5)).caching(new CachingConfig(CachingStrategy.REDIS, "k", 600, 10))
                .description("d").deprecated(true).tags(List.of("a")).bypassGateway(false).build();
        String json = LlmConfigJson.write(config);
        assertThat(json).startsWith("{\"bypassGateway\":false,\"caching\":{\"key\":\"k\",\"maxItems\":10,")
                .contains("\"streamFirstChunkTime\":12.5");
        assertThat(LlmConfigJson.read(json)).isEqualTo(config);
        assertThat(LlmConfigJson.read(LlmConfigJson.writePretty(config))).isEqualTo(config);
    }

    @Test
    void readingValidatesAndNamesTheSource() {
        assertThatThrownBy(() -> LlmConfigJson.read("{\"provider\":\"openai\"}".getBytes(), "x.json"))
                .isExactlyInstanceOf(InvalidConfigException.class).hasMessageContaining("x.json")
                .hasMessageContaining("model");
        assertThatThrownBy(() -> LlmConfigJson.read("{\"provider\":\"openai\",\"model\":\"m\",\"model\":\"n\"}"))
                .isExactlyInstanceOf(InvalidConfigException.class);
        assertThatThrownBy(() -> LlmConfigJson.read("{\"provider\":\"openai\",\"model\":\"m\"} x"))
                .isExactlyInstanceOf(InvalidConfigException.class);
        assertThatThrownBy(() -> LlmConfigJson.read("[" .repeat(5000))).isExactlyInstanceOf(InvalidConfigException.class);
        assertThatThrownBy(() -> LlmConfigJson.read("{\"provider\":\"openai\",\"model\":\"m\",\"caching\":"
                + "{\"strategy\":\"memory\",\"maxItems\":1e12}}")).isExactlyInstanceOf(InvalidConfigException.class);
    }

    @Test
    void numbersKeepJavaScriptEquality() {
        LlmConfig a = LlmConfigJson.read("{\"provider\":\"openai\",\"model\":\"m\",\"common\":{\"maxOutputTokens\":4096.0}}");
        assertThat(a.common().maxOutputTokens()).isEqualTo(4096);
    }

    @Test
    void jcsFollowsRfc8785() {
        assertThat(Jcs.canonicalize(Map.of("b", 1, "a", List.of(1e21, 1e-7, -0.0, 0.7), "123", "x", "50", "y")))
                .isEqualTo("{\"123\":\"x\",\"50\":\"y\",\"a\":[1e+21,1e-7,0,0.7],\"b\":1}");
        assertThat(Jcs.canonicalize("\u2028/\u0001\"\\é")).isEqualTo("\"\u2028/\\u0001\\\"\\\\é\"");
        assertThatThrownBy(() -> Jcs.canonicalize(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Jcs.canonicalize(new Object())).isInstanceOf(IllegalArgumentException.class);
        assertThat(Jcs.pretty(Map.of("a", List.of(), "b", Map.of()))).isEqualTo("{\n  \"a\": [],\n  \"b\": {}\n}\n");
    }
}
