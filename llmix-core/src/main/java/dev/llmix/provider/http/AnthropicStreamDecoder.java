package dev.llmix.provider.http;

import dev.llmix.spi.LlmUsage;
import dev.llmix.spi.ProviderStreamEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * Anthropic Messages stream events to provider events: the model and usage base of {@code message_start}, text,
 * thinking and tool-input deltas per content block, the stop reason and cumulative usage of {@code message_delta},
 * {@code message_stop}, and {@code error} events as failures. Pings and unknown events are ignored. As in the
 * non-streamed mapping (docs/tools.md), the thinking blocks before the first tool call (text and signature) travel
 * as that call's {@code extra_content.anthropic.thinking_blocks}, the forced tool of {@code jsonTool} structured
 * output streams as text with finish reason {@code stop}, and a {@code refusal} stop reason is a refusal.
 */
final class AnthropicStreamDecoder implements StreamDecoder {

    /** Ordinal of the forced tool of {@code jsonTool} structured output: its input is the answer text. */
    private static final int STRUCTURED = -2;

    /** One content block's kind and, for {@code tool_use}, its call ordinal. */
    private static final class Block {
        final String type;
        final int ordinal;
        boolean hasArguments;
        /** A thinking block's text and signature, kept until the first tool call (continuation data). */
        @Nullable StringBuilder thinking;
        @Nullable StringBuilder signature;

        Block(String type, int ordinal) {
            this.type = type;
            this.ordinal = ordinal;
        }
    }

    private final List<String> secrets;
    private final @Nullable String structuredTool;
    private final Map<Integer, Block> blocks = new HashMap<>();
    /** Thinking and redacted-thinking blocks completed before the first tool call. */
    private final List<Map<String, @Nullable Object>> thinkingBlocks = new ArrayList<>();
    /** The text so far: a {@code refusal} stop reason reports it as the refusal, as the non-streamed mapping does. */
    private final StringBuilder text = new StringBuilder();
    private int nextTool;
    private long inputTokens;
    private long cacheCreation;
    private @Nullable Long cacheRead;
    private long outputTokens;
    private boolean stopped;
    private boolean stopReasonSeen;

    AnthropicStreamDecoder(List<String> secrets, @Nullable String structuredTool) {
        this.secrets = secrets;
        this.structuredTool = structuredTool;
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
                    String name = Json.string(block.get("name"));
                    if (structuredTool != null && structuredTool.equals(name)) {
                        blocks.put(index, new Block(blockType, STRUCTURED));
                        return;
                    }
                    Map<String, @Nullable Object> extra = null;
                    if (nextTool == 0 && !thinkingBlocks.isEmpty()) {
                        extra = Map.of("anthropic", Map.of("thinking_blocks", List.copyOf(thinkingBlocks)));
                    }
                    Block b = new Block(blockType, nextTool++);
                    blocks.put(index, b);
                    out.accept(new ProviderStreamEvent.ToolCallFragment(b.ordinal, Json.string(block.get("id")),
                            name, "", extra));
                } else if ("redacted_thinking".equals(blockType)) {
                    blocks.put(index, new Block(blockType, -1));
                    if (nextTool == 0) {
                        @SuppressWarnings("unchecked")
                        Map<String, @Nullable Object> whole = (Map<String, @Nullable Object>) Json.toPlain(block);
                        thinkingBlocks.add(whole);
                    }
                } else if (blockType != null) {
                    Block b = new Block(blockType, -1);
                    if ("thinking".equals(blockType) && nextTool == 0) {
                        b.thinking = new StringBuilder();
                    }
                    blocks.put(index, b);
                }
            }
            case "content_block_delta" -> {
                Block b = blocks.get(event.path("index").asInt(0));
                JsonNode delta = event.path("delta");
                String deltaType = Json.string(delta.get("type"));
                if ("text_delta".equals(deltaType)) {
                    String t = Json.string(delta.get("text"));
                    if (t != null && !t.isEmpty()) {
                        text.append(t);
                        out.accept(new ProviderStreamEvent.TextDelta(t));
                    }
                } else if ("thinking_delta".equals(deltaType)) {
                    String thinking = Json.string(delta.get("thinking"));
                    if (thinking != null && !thinking.isEmpty()) {
                        if (b != null && b.thinking != null) {
                            b.thinking.append(thinking);
                        }
                        out.accept(new ProviderStreamEvent.ReasoningDelta(thinking));
                    }
                } else if ("signature_delta".equals(deltaType)) {
                    String signature = Json.string(delta.get("signature"));
                    if (signature != null && b != null && b.thinking != null) {
                        if (b.signature == null) {
                            b.signature = new StringBuilder();
                        }
                        b.signature.append(signature);
                    }
                } else if ("input_json_delta".equals(deltaType) && b != null && b.ordinal != -1) {
                    String partial = Json.string(delta.get("partial_json"));
                    if (partial != null && !partial.isEmpty()) {
                        b.hasArguments = true;
                        out.accept(b.ordinal == STRUCTURED ? new ProviderStreamEvent.TextDelta(partial)
                                : new ProviderStreamEvent.ToolCallFragment(b.ordinal, null, null, partial, null));
                    }
                }
                // citations_delta and unknown deltas carry nothing for the chunks.
            }
            case "content_block_stop" -> {
                Block b = blocks.get(event.path("index").asInt(0));
                if (b != null && b.ordinal != -1 && !b.hasArguments) {
                    // A tool call without input is {} (as the non-streamed mapping serialises an empty input).
                    b.hasArguments = true;
                    out.accept(b.ordinal == STRUCTURED ? new ProviderStreamEvent.TextDelta("{}")
                            : new ProviderStreamEvent.ToolCallFragment(b.ordinal, null, null, "{}", null));
                }
                if (b != null && b.thinking != null && nextTool == 0) {
                    Map<String, @Nullable Object> block = new LinkedHashMap<>();
                    block.put("type", "thinking");
                    block.put("thinking", b.thinking.toString());
                    if (b.signature != null) {
                        block.put("signature", b.signature.toString());
                    }
                    thinkingBlocks.add(block);
                    b.thinking = null;
                }
            }
            case "message_delta" -> {
                String stop = Json.string(event.path("delta").get("stop_reason"));
                if (stop != null) {
                    stopReasonSeen = true;
                    if ("refusal".equals(stop)) {
                        out.accept(new ProviderStreamEvent.Refusal(text.length() == 0 ? "refusal" : text.toString()));
                    }
                    String reason = ToolWire.anthropicFinishReason(stop);
                    if (structuredTool != null && "tool_calls".equals(reason)) {
                        reason = "stop";
                    }
                    out.accept(new ProviderStreamEvent.Finish(reason));
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
