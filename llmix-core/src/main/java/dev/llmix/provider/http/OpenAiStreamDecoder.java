package dev.llmix.provider.http;

import dev.llmix.spi.ProviderStreamEvent;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * Chat Completions chunks ({@code chat.completion.chunk}) to provider events: {@code choices[0].delta} content,
 * reasoning, tool-call fragments and refusal, {@code finish_reason}, the usage chunk, the model, and {@code [DONE]}.
 * Used for every OpenAI-compatible provider and sno-gpu.
 */
final class OpenAiStreamDecoder implements StreamDecoder {

    private final List<String> secrets;
    private boolean modelSeen;
    private boolean finished;
    private boolean done;
    /** Tool-call index by id, for fragments that carry no index. */
    private final Map<String, Integer> indexById = new HashMap<>();
    private int latestIndex = -1;

    OpenAiStreamDecoder(List<String> secrets) {
        this.secrets = secrets;
    }

    @Override
    public void onEvent(@Nullable String type, String data, Consumer<ProviderStreamEvent> out) {
        if ("[DONE]".equals(data.strip())) {
            done = true;
            return;
        }
        JsonNode chunk = StreamErrors.parse(data, secrets);
        if ("error".equals(type) || chunk.has("error") || "error".equals(Json.string(chunk.get("object")))) {
            JsonNode error = chunk.get("error");
            throw StreamErrors.failure(error != null ? error : chunk, chunk, secrets);
        }
        if (!modelSeen) {
            String model = Json.string(chunk.get("model"));
            if (model != null && !model.isEmpty()) {
                modelSeen = true;
                out.accept(new ProviderStreamEvent.Model(model));
            }
        }
        JsonNode choices = chunk.get("choices");
        if (choices != null && choices.isArray()) {
            for (JsonNode choice : choices) {
                JsonNode index = choice.get("index");
                if (index != null && index.isNumber() && index.asInt() != 0) {
                    continue; // other choices are ignored
                }
                delta(choice.path("delta"), out);
                JsonNode reason = choice.get("finish_reason");
                if (reason != null && reason.isString()) {
                    finished = true;
                    out.accept(new ProviderStreamEvent.Finish(ToolWire.openAiFinishReason(reason.asString())));
                }
            }
        }
        JsonNode usage = chunk.get("usage");
        if (usage != null && usage.isObject()) {
            out.accept(new ProviderStreamEvent.Usage(OpenAiCompatibleAdapter.usage(usage)));
        }
    }

    private void delta(JsonNode delta, Consumer<ProviderStreamEvent> out) {
        if (!delta.isObject()) {
            return;
        }
        String content = Json.string(delta.get("content"));
        if (content != null && !content.isEmpty()) {
            out.accept(new ProviderStreamEvent.TextDelta(content));
        }
        String reasoning = Json.string(delta.get("reasoning_content"));
        if (reasoning == null || reasoning.isEmpty()) {
            reasoning = Json.string(delta.get("reasoning"));
        }
        if (reasoning != null && !reasoning.isEmpty()) {
            out.accept(new ProviderStreamEvent.ReasoningDelta(reasoning));
        }
        JsonNode calls = delta.get("tool_calls");
        if (calls != null && calls.isArray()) {
            for (JsonNode call : calls) {
                fragment(call, out);
            }
        }
        String refusal = Json.string(delta.get("refusal"));
        if (refusal != null && !refusal.isEmpty()) {
            out.accept(new ProviderStreamEvent.Refusal(refusal));
        }
    }

    @SuppressWarnings("unchecked")
    private void fragment(JsonNode call, Consumer<ProviderStreamEvent> out) {
        String id = Json.string(call.get("id"));
        JsonNode indexNode = call.get("index");
        int index;
        if (indexNode != null && indexNode.isIntegralNumber()) {
            index = indexNode.asInt();
        } else if (id != null && indexById.containsKey(id)) {
            index = indexById.get(id);
        } else if (id != null) {
            index = latestIndex + 1;
        } else {
            index = Math.max(0, latestIndex);
        }
        if (id != null) {
            indexById.putIfAbsent(id, index);
        }
        latestIndex = Math.max(latestIndex, index);
        JsonNode function = call.path("function");
        String name = Json.string(function.get("name"));
        String arguments = Json.string(function.get("arguments"));
        JsonNode extra = call.get("extra_content");
        Map<String, @Nullable Object> extraContent = extra != null && extra.isObject()
                ? (Map<String, @Nullable Object>) Json.toPlain(extra) : null;
        out.accept(new ProviderStreamEvent.ToolCallFragment(index, id == null || id.isEmpty() ? null : id,
                name == null || name.isEmpty() ? null : name, arguments == null ? "" : arguments, extraContent));
    }

    @Override
    public boolean isTerminated() {
        return done;
    }

    @Override
    public boolean isComplete() {
        return done || finished;
    }

    @Override
    public String missing() {
        return "no [DONE] and no finish_reason";
    }
}
