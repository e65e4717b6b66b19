package dev.llmix.provider.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmix.spi.LlmUsage;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Hostile-input items 1 (second half) and 9 of docs/reliability.md: odd usage numbers never fail or wrap. */
class HostileUsageTest {

    private static final String HUGE = "9".repeat(400);
    private static final long MAX = Long.MAX_VALUE;

    private static JsonNode json(String text) {
        return Json.MAPPER.readTree(text);
    }

    @Test
    void aFourHundredDigitTotalIsNotACountSoTheSumIsReported() {
        LlmUsage usage = OpenAiCompatibleAdapter.usage(
                json("{\"prompt_tokens\":4,\"completion_tokens\":2,\"total_tokens\":" + HUGE + "}"));
        assertThat(usage).isEqualTo(LlmUsage.of(4, 2, 6));
    }

    @Test
    void aTotalOf1e400IsNotACountEither() {
        LlmUsage usage = GeminiAdapter.usage(
                json("{\"promptTokenCount\":4,\"candidatesTokenCount\":2,\"totalTokenCount\":1e400}"));
        assertThat(usage).isEqualTo(LlmUsage.of(4, 2, 6));
    }

    @Test
    void openAiCountsThatOverflowSaturate() {
        LlmUsage usage = OpenAiCompatibleAdapter.usage(
                json("{\"prompt_tokens\":" + MAX + ",\"completion_tokens\":" + MAX + "}"));
        assertThat(usage.totalTokens()).isEqualTo(MAX);
    }

    @Test
    void anthropicCountsThatOverflowSaturate() {
        LlmUsage usage = AnthropicAdapter.usage(json("{\"input_tokens\":" + MAX + ",\"cache_creation_input_tokens\":"
                + MAX + ",\"cache_read_input_tokens\":" + MAX + ",\"output_tokens\":" + MAX + "}"));
        assertThat(usage.inputTokens()).isEqualTo(MAX);
        assertThat(usage.totalTokens()).isEqualTo(MAX);
    }

    @Test
    void geminiCountsThatOverflowSaturate() {
        LlmUsage usage = GeminiAdapter.usage(json("{\"promptTokenCount\":" + MAX + ",\"candidatesTokenCount\":" + MAX
                + ",\"thoughtsTokenCount\":" + MAX + "}"));
        assertThat(usage.outputTokens()).isEqualTo(MAX);
        assertThat(usage.totalTokens()).isEqualTo(MAX);
    }
}
