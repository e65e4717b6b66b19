package dev.llmix.provider.http;

import dev.llmix.config.LlmConfig;
import dev.llmix.spi.DispatchContext;
import dev.llmix.spi.LlmUsage;
import dev.llmix.spi.ProviderResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * Chat Completions ({@code POST {base}/chat/completions}, {@code Authorization: Bearer <key>}) for {@code openai},
 * {@code openrouter}, {@code deepseek} (through OpenRouter), {@code deepinfra}, {@code novita}, {@code together} and any
 * other OpenAI-compatible endpoint given a base URL. The provider-specific rules (token caps, {@code top_k},
 * OpenRouter routing, thinking controls) follow the {@link DispatchContext#provider() provider} of each call.
 */
public final class OpenAiCompatibleAdapter extends AbstractHttpAdapter {

    /** Default base URLs of the known OpenAI-compatible providers. */
    public static final Map<String, String> DEFAULT_BASE_URLS = Map.of(
            "openai", "https://api.openai.com/v1",
            "openrouter", "https://openrouter.ai/api/v1",
            "deepseek", "https://openrouter.ai/api/v1",
            "deepinfra", "https://api.deepinfra.com/v1/openai",
            "novita", "https://api.novita.ai/v3/openai",
            "together", "https://api.together.xyz/v1");

    /** Environment variable holding each provider's fallback key. */
    public static final Map<String, String> KEY_ENV = Map.of(
            "openai", "OPENAI_API_KEY",
            "openrouter", "OPENROUTER_API_KEY",
            "deepseek", "OPENROUTER_API_KEY",
            "deepinfra", "DEEPINFRA_API_KEY",
            "novita", "NOVITA_API_KEY",
            "together", "TOGETHER_API_KEY");

    private static final Map<String, String> OPENROUTER_MODELS = Map.of(
            "deepseek-chat", "deepseek/deepseek-chat-v3-0324",
            "deepseek-v3", "deepseek/deepseek-chat-v3-0324",
            "deepseek-v3.2-speciale", "deepseek/deepseek-chat-v3-0324:free",
            "deepseek-v4-flash", "deepseek/deepseek-v4-flash",
            "deepseek-reasoner", "deepseek/deepseek-reasoner",
            "qwen3.5-27b", "qwen/qwen3.5-27b",
            "qwen3.6-27b", "qwen/qwen3.6-27b");

    /** Never sent by this adapter: routing keys, streaming, and other adapters' thinking controls. */
    private static final Set<String> ALWAYS_REMOVED = Set.of("baseUrl", "base_url", "stream", "enableThinking",
            "enable_thinking", "thinkingBudget", "thinking_budget", "thinkingConfig", "thinking_config");

    private static final Set<String> OPENROUTER_ROLES = Set.of("system", "user", "assistant", "tool");
    private static final Map<String, Object> DEFAULT_OPENROUTER_PROVIDER = Map.of("sort", "price");

    /** An adapter with {@link AdapterOptions#defaults()}. */
    public OpenAiCompatibleAdapter() {
        this(AdapterOptions.defaults());
    }

    /** An adapter with the given options. */
    public OpenAiCompatibleAdapter(AdapterOptions options) {
        super(options);
    }

    @Override
    Prepared prepare(DispatchContext ctx) {
        String provider = ctx.provider();
        String base = baseUrl(ctx, DEFAULT_BASE_URLS.get(provider));
        if (base == null) {
            throw new AdapterConfigException("OpenAI-compatible adapter requires a non-empty base_url");
        }
        String envName = KEY_ENV.get(provider);
        String key = envName == null
                ? AdapterSupport.requireApiKey(ctx.apiKey(), null, "an API key", provider)
                : apiKey(ctx, envName);
        Map<String, @Nullable Object> body = buildBody(provider, ctx.model(), ctx.messages(), ctx.kwargs(),
                ctx.config());
        HttpTransport.Request request = new HttpTransport.Request(
                AdapterSupport.endpoint(base, "/chat/completions"),
                Map.of("Authorization", "Bearer " + key),
                Json.write(body),
                requestTimeout(ctx, AdapterOptions.DEFAULT_REQUEST_TIMEOUT),
                List.of(key),
                "openai".equals(provider));
        return new Prepared(request, provider, (String) body.get("model"));
    }

    @Override
    ProviderResult parse(JsonNode body, Map<String, String> headers, Prepared prepared) {
        return parseChatCompletion(body, headers, prepared.model(), isOpenRouter(prepared.provider()), false);
    }

    @Override
    Map<String, @Nullable Object> streamBody(Map<String, @Nullable Object> callBody) {
        return streamSwitch(callBody, options);
    }

    /** {@code stream: true}, plus {@code stream_options.include_usage} unless kwargs brought their own options. */
    static Map<String, @Nullable Object> streamSwitch(Map<String, @Nullable Object> body, AdapterOptions options) {
        body.put("stream", true);
        if (!(body.get("stream_options") instanceof Map<?, ?>) && options.streamIncludeUsage()) {
            body.put("stream_options", Map.of("include_usage", true));
        }
        return body;
    }

    @Override
    StreamDecoder newStreamDecoder(Prepared prepared) {
        return new OpenAiStreamDecoder(prepared.request().secrets());
    }

    // ---- request --------------------------------------------------------------------------------------------

    static boolean isOpenRouter(String provider) {
        return "openrouter".equals(provider) || "deepseek".equals(provider);
    }

    /** The Chat Completions body for {@code provider}. */
    static Map<String, @Nullable Object> buildBody(String provider, String model, List<?> messages,
            Map<String, ?> kwargs, LlmConfig config) {
        boolean openRouter = isOpenRouter(provider);
        Map<String, @Nullable Object> kw = AdapterSupport.presentEntries(kwargs);
        Object extraBody = kw.remove("extra_body");
        ALWAYS_REMOVED.forEach(kw::remove);
        if ("openai".equals(provider) || openRouter) {
            kw.remove("top_k");
            kw.remove("topK");
        }
        kw.remove("model");
        kw.remove("messages");
        if (openRouter) {
            kw.remove("provider");
            kw.remove("reasoning");
        }
        if (extraBody instanceof Map<?, ?> extra) {
            extra.forEach((k, v) -> {
                String name = String.valueOf(k);
                if (!(openRouter && ("provider".equals(name) || "reasoning".equals(name)))) {
                    kw.put(name, v);
                }
            });
        }

        Map<String, @Nullable Object> body = new LinkedHashMap<>();
        if (openRouter) {
            body.put("model", mapOpenRouterModel(model));
            body.put("messages", openRouterMessages(ToolWire.openAiMessages(messages, false)));
            body.put("stream", false);
            Object cap = kw.get("max_completion_tokens");
            Object maxTokens = resolveMaxOutputTokens(kw);
            kw.remove("maxOutputTokens");
            kw.remove("max_tokens");
            body.putAll(kw);
            if (!(cap instanceof Number) && maxTokens != null) {
                body.remove("max_completion_tokens");
                body.put("max_tokens", maxTokens);
            }
            putIfPresent(body, "provider", openRouterField("provider", kwargs, extraBody, config));
            putIfPresent(body, "reasoning", openRouterField("reasoning", kwargs, extraBody, config));
            dropParallelWithoutTools(body);
            return body;
        }

        body.put("model", model);
        body.put("messages", ToolWire.openAiMessages(messages, "openai".equals(provider)));
        if (kw.containsKey("max_completion_tokens")) {
            kw.remove("max_tokens");
        }
        body.putAll(kw);
        if ("openai".equals(provider)) {
            OpenAiOptions.adjustTemperature(model, body);
            OpenAiOptions.apply(model, body, AdapterSupport.providerOptions(config, "openai"));
        }
        if ("deepinfra".equals(provider) || "novita".equals(provider)) {
            applyThinkingControls(body, provider, config);
        }
        if ("novita".equals(provider) && body.get("response_format") instanceof Map<?, ?> rf
                && "json_schema".equals(rf.get("type"))) {
            body.put("response_format", Map.of("type", "json_object"));
        }
        dropParallelWithoutTools(body);
        return body;
    }

    /** OpenAI rejects {@code parallel_tool_calls} without {@code tools}, wherever the flag came from. */
    private static void dropParallelWithoutTools(Map<String, @Nullable Object> body) {
        if (!(body.get("tools") instanceof List<?> tools) || tools.isEmpty()) {
            body.remove("parallel_tool_calls");
        }
    }

    private static void putIfPresent(Map<String, @Nullable Object> body, String key, @Nullable Object value) {
        if (value != null) {
            body.put(key, value);
        } else {
            body.remove(key);
        }
    }

    /** OpenRouter's model id for a preset model (TS {@code mapOpenRouterModel}). */
    static String mapOpenRouterModel(String model) {
        if (model.contains("/")) {
            return model;
        }
        String mapped = OPENROUTER_MODELS.get(model);
        if (mapped != null) {
            return mapped;
        }
        if (model.startsWith("deepseek")) {
            return "deepseek/" + model;
        }
        if (model.startsWith("qwen")) {
            return "qwen/" + model;
        }
        return model;
    }

    /**
     * The first number among {@code maxOutputTokens}, {@code max_completion_tokens}, {@code max_tokens}
     * (TS {@code resolveMaxOutputTokens}), or null.
     */
    static @Nullable Number resolveMaxOutputTokens(Map<String, ?> kwargs) {
        for (String k : List.of("maxOutputTokens", "max_completion_tokens", "max_tokens")) {
            if (kwargs.get(k) instanceof Number n) {
                return n;
            }
        }
        return null;
    }

    /**
     * OpenRouter {@code provider} / {@code reasoning}: an object in kwargs wins; else the option object when
     * {@code extra_body} has no object for the key (or, for {@code provider}, only the injected price-sort default);
     * else the {@code extra_body} object; else nothing.
     */
    private static @Nullable Object openRouterField(String key, Map<String, ?> kwargs, @Nullable Object extraBody,
            LlmConfig config) {
        if (kwargs.get(key) instanceof Map<?, ?> direct) {
            return direct;
        }
        Object fromExtra = extraBody instanceof Map<?, ?> extra ? extra.get(key) : null;
        Map<String, @Nullable Object> opts = AdapterSupport.providerOptions(config, "openrouter");
        Object option = opts == null ? null : opts.get(key);
        boolean extraIsObject = fromExtra instanceof Map<?, ?>;
        if (option instanceof Map<?, ?> && (!extraIsObject
                || ("provider".equals(key) && DEFAULT_OPENROUTER_PROVIDER.equals(fromExtra)))) {
            return option;
        }
        return extraIsObject ? fromExtra : null;
    }

    /** OpenRouter accepts only these roles and needs {@code content} on every message but a tool-calling assistant. */
    static List<Map<String, @Nullable Object>> openRouterMessages(List<?> messages) {
        List<Map<String, @Nullable Object>> out = new ArrayList<>(messages.size());
        for (Object m : messages) {
            if (!(m instanceof Map<?, ?> msg) || !(msg.get("role") instanceof String role)
                    || !OPENROUTER_ROLES.contains(role)) {
                continue;
            }
            Map<String, @Nullable Object> copy = new LinkedHashMap<>();
            copy.put("role", role);
            Object toolCalls = msg.get("tool_calls") != null ? msg.get("tool_calls") : msg.get("toolCalls");
            Object content = msg.get("content");
            if (content != null) {
                copy.put("content", content);
            } else if (!("assistant".equals(role) && toolCalls != null)) {
                copy.put("content", "");
            }
            if (toolCalls != null) {
                copy.put("tool_calls", toolCalls);
            }
            Object toolCallId = msg.get("tool_call_id") != null ? msg.get("tool_call_id") : msg.get("toolCallId");
            if (toolCallId != null) {
                copy.put("tool_call_id", toolCallId);
            }
            if (msg.get("name") != null) {
                copy.put("name", msg.get("name"));
            }
            out.add(copy);
        }
        return out;
    }

    /**
     * DeepInfra / Novita thinking controls: {@code enable_thinking} when the option or
     * {@code common.enableThinking} says so, {@code thinking_budget} when thinking is on and a budget is set.
     */
    private static void applyThinkingControls(Map<String, @Nullable Object> body, String provider,
            LlmConfig config) {
        Map<String, @Nullable Object> opts = AdapterSupport.providerOptions(config, provider);
        Boolean enable = opts != null && opts.get("enableThinking") instanceof Boolean b ? b
                : config.commonOrEmpty().enableThinking();
        Object budget = opts == null ? null : opts.get("thinkingBudget");
        if (enable == null) {
            return;
        }
        body.putIfAbsent("enable_thinking", enable);
        if (enable && budget instanceof Number) {
            body.putIfAbsent("thinking_budget", budget);
        }
    }

    // ---- response -------------------------------------------------------------------------------------------

    static ProviderResult parseChatCompletion(JsonNode body, Map<String, String> headers, String requestModel,
            boolean openRouter, boolean snoGpu) {
        JsonNode payload = snoGpu ? SnoGpuAdapter.normalizeResponsePayload(body) : body;
        JsonNode message = payload.path("choices").path(0).path("message");
        String content = extractContent(message, openRouter);
        String model = Json.string(payload.get("model"));
        List<@Nullable Object> toolCalls = null;
        JsonNode calls = message.has("tool_calls") ? message.get("tool_calls") : message.get("toolCalls");
        if (calls != null && calls.isArray()) {
            @SuppressWarnings("unchecked")
            List<@Nullable Object> plain = (List<@Nullable Object>) Json.toPlain(calls);
            toolCalls = plain;
        }
        String refusal = Json.string(message.get("refusal"));
        String finishReason = ToolWire.openAiFinishReason(
                Json.string(payload.path("choices").path(0).get("finish_reason")));
        return new ProviderResult(content, model == null || model.isEmpty() ? requestModel : model,
                usage(payload.get("usage")), headers, toolCalls, finishReason,
                refusal == null || refusal.isEmpty() ? null : refusal);
    }

    /**
     * {@code choices[0].message.content}: a string as is, text parts joined with {@code "\n"}, else {@code ""}; for
     * OpenRouter a reply without text falls back to {@code reasoning} / {@code reasoning_content}.
     */
    static String extractContent(JsonNode message, boolean openRouterFallback) {
        JsonNode content = message.get("content");
        if (content != null && content.isString()) {
            return content.asString();
        }
        if (content != null && content.isArray()) {
            StringBuilder sb = new StringBuilder();
            boolean any = false;
            for (JsonNode part : content) {
                String text = part.isString() ? part.asString() : Json.string(part.get("text"));
                if (text != null) {
                    if (any) {
                        sb.append('\n');
                    }
                    sb.append(text);
                    any = true;
                }
            }
            if (any) {
                return sb.toString();
            }
        }
        if (openRouterFallback) {
            String reasoning = Json.string(message.get("reasoning"));
            if (reasoning != null) {
                return reasoning;
            }
            String reasoningContent = Json.string(message.get("reasoning_content"));
            if (reasoningContent != null) {
                return reasoningContent;
            }
        }
        return "";
    }

    /** Chat Completions usage, with {@code prompt_tokens_details.cached_tokens} as the cached input figure. */
    static LlmUsage usage(@Nullable JsonNode usage) {
        if (usage == null || !usage.isObject()) {
            return LlmUsage.ZERO;
        }
        long in = Json.count(usage.get("prompt_tokens"));
        long out = Json.count(usage.get("completion_tokens"));
        JsonNode total = usage.get("total_tokens");
        JsonNode cached = usage.path("prompt_tokens_details").get("cached_tokens");
        return new LlmUsage(in, out, Json.isCount(total) ? Json.count(total) : Json.addCounts(in, out),
                cached != null && cached.isNumber() ? Json.count(cached) : null);
    }
}
