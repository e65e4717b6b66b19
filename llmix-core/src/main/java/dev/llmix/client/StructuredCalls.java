package dev.llmix.client;

import dev.llmix.config.LlmConfig;
import dev.llmix.internal.JsonSchemaSupport;
import dev.llmix.spi.CallInput;
import dev.llmix.pipeline.CallResponse;
import dev.llmix.structured.JsonSchemas;
import dev.llmix.structured.StructuredOutputException;
import dev.llmix.structured.StructuredOutputException.Reason;
import dev.llmix.structured.StructuredOutputOptions;
import dev.llmix.structured.StructuredResult;
import dev.llmix.thinking.ThinkingStripper;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * {@code callForObject}: sets the generated {@code json_schema} response format, makes one pipeline call (plus an
 * optional repair call), strips a code fence and binds the answer strictly with Jackson (docs/tools.md).
 */
final class StructuredCalls {

    private StructuredCalls() {
    }

    /** A parse failure before it is turned into an exception. */
    private record Failure(Reason reason, String detail, @Nullable Throwable cause) {
    }

    /** A parsed value or a failure. */
    private record Parsed<T>(@Nullable T value, @Nullable Failure failure) {
    }

    static <T> StructuredResult<T> run(Function<CallInput, CallResponse> call, LlmConfig preset, List<Object> messages,
            CallOptions options, Class<T> type, StructuredOutputOptions so) {
        if (options.toolSet() != null) {
            throw new IllegalArgumentException("callForObject does not combine with tools; use callWithTools");
        }
        if (options.hasResponseFormat()) {
            throw new IllegalArgumentException("callForObject sets responseFormat itself");
        }
        Map<String, @Nullable Object> format = JsonSchemas.responseFormat(type);
        LlmConfig config = options.applyTo(preset).toBuilder().responseFormat(format).build();
        List<Object> msgs = messages;
        if ("novita".equals(config.provider())) {
            msgs = withSchemaInstruction(messages, format);
        }
        // Only answers that bind are written to the cache; an invalid one would be replayed for the whole TTL.
        Predicate<String> cacheable = raw -> parse(raw, type).failure() == null;
        CallResponse response = call.apply(new CallInput(config, msgs, options.singleflightKey(), null, cacheable));
        Parsed<T> parsed = evaluate(response, type);
        if (parsed.failure() == null) {
            return new StructuredResult<>(parsed.value(), response, null);
        }
        Failure f = parsed.failure();
        boolean repairable = f.reason() == Reason.EMPTY || f.reason() == Reason.INVALID_JSON
                || f.reason() == Reason.SCHEMA_MISMATCH;
        if (!repairable || so.repairAttempts() == 0) {
            return failed(type, f, response, 1);
        }
        List<Object> repair = new ArrayList<>(msgs);
        repair.add(Message.assistant(response.content()).toMap());
        repair.add(Message.user("Your previous reply was not valid for the required JSON schema: " + f.detail()
                + ". Reply again with only the corrected JSON.").toMap());
        CallResponse second = call.apply(new CallInput(config, repair, options.singleflightKey(), null, cacheable));
        Parsed<T> again = evaluate(second, type);
        if (again.failure() == null) {
            return new StructuredResult<>(again.value(), second, null);
        }
        return failed(type, again.failure(), second, 2);
    }

    private static <T> StructuredResult<T> failed(Class<T> type, Failure f, CallResponse response, int attempts) {
        String raw = f.reason() == Reason.REFUSAL && response.refusal() != null ? response.refusal()
                : response.content();
        return new StructuredResult<>(null, response,
                new StructuredOutputException(type, f.reason(), f.detail(), raw, response, attempts, f.cause()));
    }

    private static <T> Parsed<T> evaluate(CallResponse response, Class<T> type) {
        if (!response.success()) {
            return new Parsed<>(null, new Failure(Reason.CALL_FAILED, String.valueOf(response.error()), null));
        }
        if (response.refusal() != null) {
            return new Parsed<>(null, new Failure(Reason.REFUSAL, "the model refused", null));
        }
        if ("length".equals(response.finishReason())) {
            return new Parsed<>(null, new Failure(Reason.TRUNCATED, "the answer was cut off at the token limit",
                    null));
        }
        return parse(response.content(), type);
    }

    private static <T> Parsed<T> parse(String content, Class<T> type) {
        String text = unfence(ThinkingStripper.strip(content).content().strip());
        if (text.isEmpty()) {
            return new Parsed<>(null, new Failure(Reason.EMPTY, "the answer is empty", null));
        }
        JsonNode node;
        try {
            node = JsonSchemaSupport.STRICT_MAPPER.readTree(text);
        } catch (JacksonException e) {
            return new Parsed<>(null, new Failure(Reason.INVALID_JSON, e.getOriginalMessage(), e));
        }
        if (node == null || node.isMissingNode()) {
            return new Parsed<>(null, new Failure(Reason.EMPTY, "the answer is empty", null));
        }
        try {
            return new Parsed<>(JsonSchemaSupport.bind(node, type), null);
        } catch (RuntimeException e) {
            return new Parsed<>(null, new Failure(Reason.SCHEMA_MISMATCH, JsonSchemaSupport.describe(e), e));
        }
    }

    /** Removes one enclosing Markdown code fence (with an optional language tag). */
    static String unfence(String text) {
        if (!text.startsWith("```") || !text.endsWith("```") || text.length() < 6) {
            return text;
        }
        int firstLine = text.indexOf('\n');
        if (firstLine < 0) {
            return text;
        }
        return text.substring(firstLine + 1, text.length() - 3).strip();
    }

    /** Novita only takes {@code json_object}, so the schema travels as a system message before the conversation. */
    private static List<Object> withSchemaInstruction(List<Object> messages, Map<String, @Nullable Object> format) {
        Object schema = ((Map<?, ?>) format.get("json_schema")).get("schema");
        Object instruction = Message.system("Respond with only a JSON object that matches this JSON Schema: "
                + JsonSchemaSupport.STRICT_MAPPER.writeValueAsString(schema)).toMap();
        List<Object> out = new ArrayList<>(messages.size() + 1);
        boolean inserted = false;
        for (Object m : messages) {
            if (!inserted && !(m instanceof Map<?, ?> map && "system".equals(map.get("role")))) {
                out.add(instruction);
                inserted = true;
            }
            out.add(m);
        }
        if (!inserted) {
            out.add(instruction);
        }
        return out;
    }
}
