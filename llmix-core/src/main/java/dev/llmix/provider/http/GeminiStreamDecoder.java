package dev.llmix.provider.http;

import dev.llmix.spi.ProviderException;
import dev.llmix.spi.ProviderStreamEvent;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * Gemini {@code streamGenerateContent?alt=sse} payloads (each a whole {@code GenerateContentResponse}) to provider
 * events: thought parts as reasoning, text parts as text, each {@code functionCall} part as one complete tool call, the
 * latest {@code usageMetadata}, {@code modelVersion}, and {@code finishReason}. There is no terminal marker: a stream
 * is complete once a finish reason was seen.
 */
final class GeminiStreamDecoder implements StreamDecoder {

    private final List<String> secrets;
    private @Nullable String model;
    private int nextTool;
    private boolean finished;

    GeminiStreamDecoder(List<String> secrets) {
        this.secrets = secrets;
    }

    @Override
    public void onEvent(@Nullable String type, String data, Consumer<ProviderStreamEvent> out) {
        JsonNode chunk = StreamErrors.parse(data, secrets);
        if (chunk.has("error")) {
            throw StreamErrors.failure(chunk.get("error"), chunk, secrets);
        }
        String version = Json.string(chunk.get("modelVersion"));
        if (version != null && !version.isEmpty() && !Objects.equals(version, model)) {
            model = version;
            out.accept(new ProviderStreamEvent.Model(version));
        }
        JsonNode candidates = chunk.get("candidates");
        if (candidates == null || !candidates.isArray() || candidates.isEmpty()) {
            String reason = Json.string(chunk.path("promptFeedback").get("blockReason"));
            if (reason != null) {
                throw new ProviderException("gemini response has no candidates: " + reason, null, null);
            }
        } else {
            JsonNode candidate = candidates.get(0);
            JsonNode parts = candidate.path("content").path("parts");
            if (parts.isArray()) {
                for (JsonNode part : parts) {
                    part(part, out);
                }
            }
            String reason = Json.string(candidate.get("finishReason"));
            if (reason != null) {
                if ("MALFORMED_FUNCTION_CALL".equals(reason) || "UNEXPECTED_TOOL_CALL".equals(reason)) {
                    throw new ProviderException("gemini finished with " + reason, null, null);
                }
                finished = true;
                out.accept(new ProviderStreamEvent.Finish(reason));
            }
        }
        JsonNode usage = chunk.get("usageMetadata");
        if (usage != null && usage.isObject()) {
            out.accept(new ProviderStreamEvent.Usage(GeminiAdapter.usage(usage)));
        }
    }

    private void part(JsonNode part, Consumer<ProviderStreamEvent> out) {
        String text = Json.string(part.get("text"));
        if (text != null && !text.isEmpty()) {
            out.accept(part.path("thought").asBoolean(false) ? new ProviderStreamEvent.ReasoningDelta(text)
                    : new ProviderStreamEvent.TextDelta(text));
        }
        JsonNode call = part.get("functionCall");
        if (call != null && call.isObject()) {
            int ordinal = nextTool++;
            String id = Json.string(call.get("id"));
            JsonNode args = call.get("args");
            // The same id and argument text as the non-streamed mapping of the same call.
            out.accept(new ProviderStreamEvent.ToolCallFragment(ordinal, id != null ? id : "call_" + ordinal,
                    Json.string(call.get("name")),
                    args == null || args.isNull() ? "{}" : Json.MAPPER.writeValueAsString(args), null));
        }
    }

    @Override
    public boolean isTerminated() {
        return false;
    }

    @Override
    public boolean isComplete() {
        return finished;
    }

    @Override
    public String missing() {
        return "no finishReason";
    }
}
