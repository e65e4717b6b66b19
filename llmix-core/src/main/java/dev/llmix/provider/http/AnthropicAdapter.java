package dev.llmix.provider.http;

import dev.llmix.config.LlmConfig;
import dev.llmix.spi.DispatchContext;
import dev.llmix.spi.LlmUsage;
import dev.llmix.spi.ProviderResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * Anthropic Messages API ({@code POST {base}/messages}, headers {@code x-api-key} and {@code anthropic-version}).
 * System messages become {@code system}, {@code stop} becomes {@code stop_sequences}, OpenAI-format tools and tool
 * calls are converted both ways, and {@code providerOptions.anthropic.thinking} enables extended thinking.
 */
public final class AnthropicAdapter extends AbstractHttpAdapter {

    /** Default base URL. */
    public static final String DEFAULT_BASE_URL = "https://api.anthropic.com/v1";
    /** Key fallback variable. */
    public static final String KEY_ENV = "ANTHROPIC_API_KEY";
    /** Smallest thinking budget Anthropic accepts. */
    static final int MIN_BUDGET_TOKENS = 1024;

    /** An adapter with {@link AdapterOptions#defaults()}. */
    public AnthropicAdapter() {
        this(AdapterOptions.defaults());
    }

    /** An adapter with the given options (see {@link AdapterOptions#anthropicVersion()}). */
    public AnthropicAdapter(AdapterOptions options) {
        super(options);
    }

    @Override
    Prepared prepare(DispatchContext ctx) {
        String base = baseUrl(ctx, DEFAULT_BASE_URL);
        String key = apiKey(ctx, KEY_ENV);
        Map<String, @Nullable Object> body = buildBody(ctx.model(), ctx.messages(), ctx.kwargs(), ctx.config(),
                options.anthropicDefaultMaxTokens());
        String structuredTool = AnthropicTools.structuredToolName(body);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("x-api-key", key);
        headers.put("anthropic-version", options.anthropicVersion());
        HttpTransport.Request request = new HttpTransport.Request(AdapterSupport.endpoint(base, "/messages"),
                headers, Json.write(body), requestTimeout(ctx, AdapterOptions.DEFAULT_REQUEST_TIMEOUT), List.of(key),
                false);
        return new Prepared(request, ctx.provider(), ctx.model(), structuredTool, 0);
    }

    @Override
    ProviderResult parse(JsonNode body, Map<String, String> headers, Prepared prepared) {
        return AnthropicTools.parse(body, headers, prepared.model(), prepared.structuredTool());
    }

    @Override
    Map<String, @Nullable Object> streamBody(Map<String, @Nullable Object> callBody) {
        callBody.put("stream", true);
        return callBody;
    }

    @Override
    StreamDecoder newStreamDecoder(Prepared prepared) {
        return new AnthropicStreamDecoder(prepared.request().secrets(), prepared.structuredTool());
    }

    /** An OpenAI-shape tool call. */
    static Map<String, @Nullable Object> toolCall(@Nullable String id, @Nullable String name,
            @Nullable JsonNode arguments) {
        Map<String, @Nullable Object> function = new LinkedHashMap<>();
        function.put("name", name == null ? "" : name);
        function.put("arguments", arguments == null || arguments.isNull() ? "{}"
                : Json.MAPPER.writeValueAsString(arguments));
        Map<String, @Nullable Object> call = new LinkedHashMap<>();
        call.put("id", id == null ? "" : id);
        call.put("type", "function");
        call.put("function", function);
        return call;
    }

    /** Input tokens include cache reads and writes, so {@code inputTokens} means all prompt tokens. */
    static LlmUsage usage(@Nullable JsonNode usage) {
        if (usage == null || !usage.isObject()) {
            return LlmUsage.ZERO;
        }
        long cacheRead = Json.count(usage.get("cache_read_input_tokens"));
        long in = Json.addCounts(
                Json.addCounts(Json.count(usage.get("input_tokens")), Json.count(usage.get("cache_creation_input_tokens"))),
                cacheRead);
        long out = Json.count(usage.get("output_tokens"));
        JsonNode cached = usage.get("cache_read_input_tokens");
        return new LlmUsage(in, out, Json.addCounts(in, out), cached != null && cached.isNumber() ? cacheRead : null);
    }

    /** System text and the remaining messages (TS {@code splitGenerationMessages}, with text parts accepted). */
    record Split(@Nullable String system, List<@Nullable Object> messages) {
    }

    /** Joins the non-empty system messages with a blank line and keeps the others in order. */
    static Split splitSystem(List<?> messages) {
        List<String> system = new ArrayList<>();
        List<@Nullable Object> rest = new ArrayList<>();
        for (Object m : messages) {
            if (m instanceof Map<?, ?> msg && "system".equals(msg.get("role"))) {
                String t = AdapterSupport.text(msg.get("content"), "");
                if (t != null && !t.isEmpty()) {
                    system.add(t);
                }
            } else {
                rest.add(m);
            }
        }
        return new Split(system.isEmpty() ? null : String.join("\n\n", system), rest);
    }

    /** The Messages API body. */
    static Map<String, @Nullable Object> buildBody(String model, List<?> messages, Map<String, ?> rawKwargs,
            LlmConfig config, int defaultMaxTokens) {
        Map<String, @Nullable Object> kw = AdapterSupport.presentEntries(rawKwargs);
        Split split = splitSystem(messages);
        Map<String, @Nullable Object> body = new LinkedHashMap<>();
        body.put("model", model);
        if (split.system() != null) {
            body.put("system", split.system());
        }
        body.put("messages", convertMessages(split.messages()));
        Object maxTokens = kw.get("max_tokens") instanceof Number n ? n
                : kw.get("max_completion_tokens") instanceof Number n2 ? n2 : null;
        body.put("max_tokens", maxTokens != null ? maxTokens : defaultMaxTokens);
        for (String k : List.of("temperature", "top_p", "top_k")) {
            if (kw.get(k) != null) {
                body.put(k, kw.get(k));
            }
        }
        Object stop = kw.get("stop");
        if (stop instanceof String s) {
            body.put("stop_sequences", List.of(s));
        } else if (stop instanceof List<?> list) {
            body.put("stop_sequences", list);
        }
        if (kw.get("metadata") instanceof Map<?, ?> metadata) {
            body.put("metadata", metadata);
        }
        AnthropicTools.applyTools(body, kw, config);
        applyThinking(body, config);
        return body;
    }

    private static List<@Nullable Object> convertMessages(List<@Nullable Object> messages) {
        return AnthropicTools.convertMessages(messages);
    }

    static Map<String, @Nullable Object> message(String role, Object content) {
        Map<String, @Nullable Object> m = new LinkedHashMap<>();
        m.put("role", role);
        m.put("content", content);
        return m;
    }

    /**
     * Anthropic wants a replayed tool call's {@code input} as a JSON object. Absent or blank arguments mean {@code {}};
     * anything else that is not a JSON object fails the call locally rather than silently sending different input.
     */
    static Object parseArguments(@Nullable Object name, @Nullable Object arguments) {
        if (arguments == null || (arguments instanceof String s && s.isBlank())) {
            return Map.of();
        }
        if (arguments instanceof Map<?, ?> map) {
            return map;
        }
        if (arguments instanceof String s) {
            Object parsed;
            try {
                parsed = Json.toPlain(Json.MAPPER.readTree(s));
            } catch (RuntimeException e) {
                parsed = null;
            }
            if (parsed instanceof Map<?, ?>) {
                return parsed;
            }
        }
        throw new AdapterConfigException("Tool call \"" + name + "\" in the messages has arguments that are not a "
                + "JSON object; the Anthropic messages API needs tool_use input as an object");
    }

    /** {@code providerOptions.anthropic.thinking}: sampling knobs removed and the budget added to the token cap. */
    private static void applyThinking(Map<String, @Nullable Object> body, LlmConfig config) {
        Map<String, @Nullable Object> opts = AdapterSupport.providerOptions(config, "anthropic");
        Map<String, @Nullable Object> thinking = opts == null ? null : Json.object(opts.get("thinking"));
        if (thinking == null || !"enabled".equals(thinking.get("type"))) {
            return;
        }
        if (!(thinking.get("budgetTokens") instanceof Number budget)) {
            throw new AdapterConfigException("thinking requires a budget");
        }
        double b = budget.doubleValue();
        if (b != Math.rint(b) || b < MIN_BUDGET_TOKENS) {
            throw new AdapterConfigException(
                    "thinking budgetTokens must be an integer of at least " + MIN_BUDGET_TOKENS);
        }
        Map<String, @Nullable Object> wire = new LinkedHashMap<>();
        wire.put("type", "enabled");
        wire.put("budget_tokens", (long) b);
        body.put("thinking", wire);
        body.remove("temperature");
        body.remove("top_p");
        body.remove("top_k");
        long max = ((Number) body.get("max_tokens")).longValue();
        body.put("max_tokens", max + (long) b);
    }
}
