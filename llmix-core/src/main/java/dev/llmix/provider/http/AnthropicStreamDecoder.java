package dev.llmix.provider.http;

import dev.llmix.spi.LlmUsage;
import dev.llmix.spi.ProviderStreamEvent;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * Anthropic Messages stream events to provider events: the model and usage base of {@code message_start}, text,
 * thinking and tool-input deltas per content block, the stop reason and cumulative usage of {@code message_delta},
 * {@code message_stop}, and {@code error} events as failures. Pings, signatures and unknown events are ignored.
 */
final class AnthropicStreamDecoder implements StreamDecoder {

    /** One content block's kind and, for {@code tool_use}, its call ordinal. */
    private static final class Block {
        final String type;
        final int ordinal;
        boolean hasArguments;

        Block(String type, int ordinal) {
            this.type = type;
            this.ordinal = ordinal;
        }
    }

    private final List<String> secrets;
    private final Map<Integer, Block> blocks = new HashMap<>();
    private int nextTool;
    private long inputTokens;
    private long cacheCreation;
    private @Nullable Long cacheRead;
    private long outputTokens;
    private boolean stopped;
    private boolean stopReasonSeen;

    AnthropicStreamDecoder(List<String> secrets) {
        this.secrets = secrets;
    }

    @Override
    public void onEvent(@Nullable String type, String data, Consumer<ProviderStreamEvent> out) {
        JsonNode event = StreamErrors.parse(data, secrets);
        String kind = type != null ? type : Json.string(event.get("type"));
        if (kind == null) {
            return;
        }
        switch (kind) {
            case "message_start" -> {
                JsonNode message = event.path("message");
                String model = Json.string(message.get("model"));
                if (model != null && !model.isEmpty()) {
                    out.accept(new ProviderStreamEvent.Model(model));
                }
                if (readUsage(message.get("usage"))) {
                    out.accept(new ProviderStreamEvent.Usage(usage()));
                }
            }
            case "content_block_start" -> {
                int index = event.path("index").asInt(0);
                JsonNode block = event.path("content_block");
                String blockType = Json.string(block.get("type"));
                if ("tool_use".equals(blockType)) {
                    Block b = new Block(blockType, nextTool++);
                    blocks.put(index, b);
                    out.accept(new ProviderStreamEvent.ToolCallFragment(b.ordinal, Json.string(block.get("id")),
                            Json.string(block.get("name")), "", null));
                } else if (blockType != null) {
                    blocks.put(index, new Block(blockType, -1));
                }
            }
            case "content_block_delta" -> {
                Block b = blocks.get(event.path("index").asInt(0));
                JsonNode delta = event.path("delta");
                String deltaType = Json.string(delta.get("type"));
                if ("text_delta".equals(deltaType)) {
                    String text = Json.string(delta.get("text"));
                    if (text != null && !text.isEmpty()) {
                        out.accept(new ProviderStreamEvent.TextDelta(text));
                    }
                } else if ("thinking_delta".equals(deltaType)) {
                    String thinking = Json.string(delta.get("thinking"));
                    if (thinking != null && !thinking.isEmpty()) {
                        out.accept(new ProviderStreamEvent.ReasoningDelta(thinking));
                    }
                } else if ("input_json_delta".equals(deltaType) && b != null && b.ordinal >= 0) {
                    String partial = Json.string(delta.get("partial_json"));
                    if (partial != null && !partial.isEmpty()) {
                        b.hasArguments = true;
                        out.accept(new ProviderStreamEvent.ToolCallFragment(b.ordinal, null, null, partial, null));
                    }
                }
                // signature_delta, citations_delta and unknown deltas carry nothing for the chunks.
            }
            case "content_block_stop" -> {
                Block b = blocks.get(event.path("index").asInt(0));
                if (b != null && b.ordinal >= 0 && !b.hasArguments) {
                    // A tool call without input is {} (as the non-streamed mapping serialises an empty input).
                    b.hasArguments = true;
                    out.accept(new ProviderStreamEvent.ToolCallFragment(b.ordinal, null, null, "{}", null));
                }
            }
            case "message_delta" -> {
                String stop = Json.string(event.path("delta").get("stop_reason"));
                if (stop != null) {
                    stopReasonSeen = true;
                    out.accept(new ProviderStreamEvent.Finish(stop));
                }
                if (readUsage(event.get("usage"))) {
                    out.accept(new ProviderStreamEvent.Usage(usage()));
                }
            }
            case "message_stop" -> stopped = true;
            case "error" -> throw StreamErrors.failure(event.get("error"), event, secrets);
            default -> {
                // ping and event types added later are ignored.
            }
        }
    }

    /** Replaces the counters present in {@code usage} (they are cumulative); true when any was present. */
    private boolean readUsage(@Nullable JsonNode usage) {
        if (usage == null || !usage.isObject()) {
            return false;
        }
        if (usage.has("input_tokens")) {
            inputTokens = Json.count(usage.get("input_tokens"));
        }
        if (usage.has("cache_creation_input_tokens")) {
            cacheCreation = Json.count(usage.get("cache_creation_input_tokens"));
        }
        JsonNode read = usage.get("cache_read_input_tokens");
        if (read != null && read.isNumber()) {
            cacheRead = Json.count(read);
        }
        if (usage.has("output_tokens")) {
            outputTokens = Json.count(usage.get("output_tokens"));
        }
        return true;
    }

    private LlmUsage usage() {
        long read = cacheRead == null ? 0 : cacheRead;
        long in = inputTokens + cacheCreation + read;
        return new LlmUsage(in, outputTokens, in + outputTokens, cacheRead);
    }

    @Override
    public boolean isTerminated() {
        return stopped;
    }

    @Override
    public boolean isComplete() {
        return stopped || stopReasonSeen;
    }

    @Override
    public String missing() {
        return "no message_stop and no stop_reason";
    }
}
