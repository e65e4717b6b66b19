package dev.llmix.provider.http;

import dev.llmix.spi.ProviderException;
import dev.llmix.spi.ProviderStreamEvent;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * Gemini {@code streamGenerateContent?alt=sse} payloads (each a whole {@code GenerateContentResponse}) to provider
 * events: thought parts as reasoning, text parts as text, each {@code functionCall} part as one complete tool call, the
 * latest {@code usageMetadata}, {@code modelVersion}, and {@code finishReason}. There is no terminal marker: a stream
 * is complete once a finish reason was seen. Call ids (synthesised when Gemini sends none), thought signatures and
 * finish reasons are those of the non-streamed mapping of the same answer (docs/tools.md).
 */
final class GeminiStreamDecoder implements StreamDecoder {

    private final List<String> secrets;
    private final int messageCount;
    private String responseId = "";
    private @Nullable String model;
    private int nextTool;
    private boolean finished;

    GeminiStreamDecoder(List<String> secrets, int messageCount) {
        this.secrets = secrets;
        this.messageCount = messageCount;
    }

    @Override
    public void onEvent(@Nullable String type, String data, Consumer<ProviderStreamEvent> out) {
        JsonNode chunk = StreamErrors.parse(data, secrets);
        if (chunk.has("error")) {
            throw StreamErrors.failure(chunk.get("error"), chunk, secrets);
        }
        String id = Json.string(chunk.get("responseId"));
        if (id != null) {
            responseId = id;
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
                out.accept(new ProviderStreamEvent.Finish(
                        Objects.requireNonNull(ToolWire.geminiFinishReason(reason, nextTool > 0))));
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
        // A thought part is reasoning only: the non-streamed mapping skips it whole, calls included.
        if (call != null && call.isObject() && !part.path("thought").asBoolean(false)) {
            int ordinal = nextTool++;
            // The same id, argument text and continuation data as the non-streamed mapping of the same call.
            Map<String, @Nullable Object> mapped = GeminiTools.toolCall(call, Json.string(part.get("thoughtSignature")),
                    responseId, messageCount, ordinal);
            @SuppressWarnings("unchecked")
            Map<String, @Nullable Object> function = (Map<String, @Nullable Object>) mapped.get("function");
            @SuppressWarnings("unchecked")
            Map<String, @Nullable Object> extra = (Map<String, @Nullable Object>) mapped.get("extra_content");
            out.accept(new ProviderStreamEvent.ToolCallFragment(ordinal, (String) mapped.get("id"),
                    (String) function.get("name"), (String) function.get("arguments"), extra));
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
