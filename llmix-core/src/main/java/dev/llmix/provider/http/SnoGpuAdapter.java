package dev.llmix.provider.http;

import dev.llmix.config.LlmConfig;
import dev.llmix.spi.DispatchContext;
import dev.llmix.spi.ProviderResult;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Sno's self-hosted GPU gateway (vLLM / llama.cpp behind a proxy): Chat Completions on
 * {@code {base}/chat/completions}, where the base usually comes from the sno-gpu kwargs transform
 * ({@code GPU_BASE_URL} + gpu path + {@code /v1}). Sends the gateway token as both {@code X-Internal-Token} and
 * {@code X-Sno-LLM-Key}, forwards thinking controls as {@code extra_body} and {@code chat_template_kwargs}, and
 * mirrors a reasoning-only reply into the content. Default request timeout 960 s.
 */
public final class SnoGpuAdapter extends AbstractHttpAdapter {

    /** Gateway root (without {@code /v1}) used when neither kwargs nor the config carry a base URL. */
    static final String GPU_BASE_URL_ENV = "GPU_BASE_URL";
    /** Token fallback when neither an internal token nor a dispatch key is set. */
    public static final String TOKEN_ENV = "SNO_LLM_API_KEY";
    /** Second token fallback, used by the upstream integration tests. */
    public static final String TOKEN_ENV_ALT = "INTERNAL_SERVICE_SECRET";

    private static final List<String> THINKING_KEYS =
            List.of("enableThinking", "enable_thinking", "thinkingBudget", "thinking_budget");

    /** Thinking controls resolved for one call; either may be unknown (null). */
    record Thinking(@Nullable Boolean enable, @Nullable Number budget) {
        boolean known() {
            return enable != null || budget != null;
        }
    }

    /** An adapter with {@link AdapterOptions#defaults()}. */
    public SnoGpuAdapter() {
        this(AdapterOptions.defaults());
    }

    /** An adapter with the given options (see {@link AdapterOptions#internalToken()}). */
    public SnoGpuAdapter(AdapterOptions options) {
        super(options);
    }

    @Override
    Prepared prepare(DispatchContext ctx) {
        String base = resolveBaseUrl(ctx.kwargs(), ctx.config(), options.baseUrl(), options.env());
        String token = options.internalToken();
        if (token == null) {
            String env = AdapterSupport.env(options.env(), TOKEN_ENV);
            if (env == null) {
                env = AdapterSupport.env(options.env(), TOKEN_ENV_ALT);
            }
            token = AdapterSupport.requireApiKey(ctx.apiKey(), env, TOKEN_ENV, "sno-gpu");
        }
        Map<String, @Nullable Object> body = buildBody(ctx.model(), ctx.messages(), ctx.kwargs(), ctx.config());
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("X-Internal-Token", token);
        headers.put("X-Sno-LLM-Key", token);
        HttpTransport.Request request = new HttpTransport.Request(
                AdapterSupport.endpoint(base, "/chat/completions"), headers, Json.write(body),
                requestTimeout(ctx, AdapterOptions.SNO_GPU_DEFAULT_REQUEST_TIMEOUT), List.of(token), false);
        return new Prepared(request, "sno-gpu", ctx.model());
    }

    @Override
    ProviderResult parse(JsonNode body, Map<String, String> headers, Prepared prepared) {
        return OpenAiCompatibleAdapter.parseChatCompletion(body, headers, prepared.model(), false, true);
    }

    @Override
    Map<String, @Nullable Object> streamBody(Map<String, @Nullable Object> callBody) {
        return OpenAiCompatibleAdapter.streamSwitch(callBody, options);
    }

    @Override
    StreamDecoder newStreamDecoder(Prepared prepared) {
        return new OpenAiStreamDecoder(prepared.request().secrets());
    }

    /**
     * The gateway base: {@code kwargs.baseUrl}, {@code kwargs.base_url}, {@code config.baseUrl}, the adapter's base
     * URL, else {@code GPU_BASE_URL} (trimmed, trailing slashes and one {@code /v1} removed) plus
     * {@code /<gpuPath>/v1} or {@code /v1}.
     */
    static String resolveBaseUrl(Map<String, ?> kwargs, LlmConfig config, @Nullable String adapterBaseUrl,
            Function<String, @Nullable String> env) {
        String explicit = AdapterSupport.resolveBaseUrl(kwargs, config.baseUrl(), adapterBaseUrl, null);
        if (explicit != null) {
            return explicit;
        }
        String root = AdapterSupport.env(env, GPU_BASE_URL_ENV);
        root = root == null ? "" : AdapterSupport.stripTrailingSlashes(root.strip());
        if (root.endsWith("/v1")) {
            root = root.substring(0, root.length() - 3);
        }
        if (root.isBlank()) {
            throw new AdapterConfigException("sno-gpu provider requires GPU_BASE_URL");
        }
        Map<String, @Nullable Object> opts = AdapterSupport.providerOptions(config, "sno-gpu");
        String path = AdapterSupport.validGpuPath(opts == null ? null : opts.get("gpuPath"));
        return AdapterSupport.validBaseUrl(path == null ? root + "/v1" : root + "/" + path + "/v1");
    }

    /** The request body: Chat Completions as for OpenAI-compatible providers, plus the thinking wire form. */
    static Map<String, @Nullable Object> buildBody(String model, List<?> messages, Map<String, ?> kwargs,
            LlmConfig config) {
        Thinking thinking = resolveThinking(kwargs, config);
        Map<String, @Nullable Object> kw = new LinkedHashMap<>(AdapterSupport.presentEntries(kwargs));
        // extra_body is the gateway's own wire member here, so it is sent literally instead of merged.
        Object extraBody = kw.remove("extra_body");
        Map<String, @Nullable Object> body = OpenAiCompatibleAdapter.buildBody("sno-gpu", model, messages, kw, config);
        if (extraBody != null) {
            body.put("extra_body", extraBody);
        }
        body = injectExtraBody(body, thinking);
        if (thinking.known() && body.get("extra_body") instanceof Map<?, ?> extra
                && extra.get("chat_template_kwargs") instanceof Map<?, ?> ctk) {
            // Plain vLLM reads chat_template_kwargs at the top level (what the OpenAI SDK does with extra_body).
            body.put("chat_template_kwargs", new LinkedHashMap<>(ctk));
        }
        return body;
    }

    /**
     * TS {@code resolveSnoGpuThinking}: the first boolean among {@code kwargs.enableThinking},
     * {@code kwargs.enable_thinking}, {@code providerOptions["sno-gpu"].enableThinking},
     * {@code common.enableThinking}; the first number among {@code kwargs.thinkingBudget},
     * {@code kwargs.thinking_budget}, {@code providerOptions["sno-gpu"].thinkingBudget}.
     */
    static Thinking resolveThinking(Map<String, ?> kwargs, LlmConfig config) {
        Map<String, @Nullable Object> opts = AdapterSupport.providerOptions(config, "sno-gpu");
        Object optEnable = opts == null ? null : opts.get("enableThinking");
        Object optBudget = opts == null ? null : opts.get("thinkingBudget");
        Boolean enable = null;
        for (Object candidate : new Object[] {kwargs.get("enableThinking"), kwargs.get("enable_thinking"), optEnable,
                config.commonOrEmpty().enableThinking()}) {
            if (candidate instanceof Boolean b) {
                enable = b;
                break;
            }
        }
        Number budget = null;
        for (Object candidate : new Object[] {kwargs.get("thinkingBudget"), kwargs.get("thinking_budget"),
                optBudget}) {
            if (candidate instanceof Number n) {
                budget = n;
                break;
            }
        }
        return new Thinking(enable, budget);
    }

    /**
     * TS {@code injectSnoGpuExtraBody}: with no thinking setting the payload is returned unchanged; otherwise the
     * top-level thinking keys are removed and {@code enable_thinking} / {@code thinking_budget} are written into
     * {@code extra_body} and {@code extra_body.chat_template_kwargs} (existing members kept).
     */
    static Map<String, @Nullable Object> injectExtraBody(Map<String, @Nullable Object> payload, Thinking thinking) {
        if (!thinking.known()) {
            return payload;
        }
        Map<String, @Nullable Object> out = new LinkedHashMap<>(payload);
        THINKING_KEYS.forEach(out::remove);
        Map<String, @Nullable Object> extra = new LinkedHashMap<>();
        if (out.get("extra_body") instanceof Map<?, ?> existing) {
            existing.forEach((k, v) -> extra.put(String.valueOf(k), v));
        }
        Map<String, @Nullable Object> ctk = new LinkedHashMap<>();
        if (extra.get("chat_template_kwargs") instanceof Map<?, ?> existing) {
            existing.forEach((k, v) -> ctk.put(String.valueOf(k), v));
        }
        if (thinking.enable() != null) {
            extra.put("enable_thinking", thinking.enable());
            ctk.put("enable_thinking", thinking.enable());
        }
        if (thinking.budget() != null) {
            extra.put("thinking_budget", thinking.budget());
            ctk.put("thinking_budget", thinking.budget());
        }
        extra.put("chat_template_kwargs", ctk);
        out.put("extra_body", extra);
        return out;
    }

    /**
     * TS {@code normalizeSnoGpuResponsePayload}: a choice whose {@code message.content} is empty or null gets its
     * non-blank {@code reasoning_content} as the content. Returns a new tree when anything changed.
     */
    static JsonNode normalizeResponsePayload(JsonNode payload) {
        JsonNode choices = payload.get("choices");
        if (choices == null || !choices.isArray()) {
            return payload;
        }
        JsonNode copy = null;
        for (int i = 0; i < choices.size(); i++) {
            JsonNode message = choices.get(i).path("message");
            if (!message.isObject()) {
                continue;
            }
            JsonNode content = message.get("content");
            boolean empty = content == null || content.isNull() || (content.isString() && content.asString().isEmpty());
            String reasoning = Json.string(message.get("reasoning_content"));
            if (empty && reasoning != null && !reasoning.isBlank()) {
                if (copy == null) {
                    copy = payload.deepCopy();
                }
                ((ObjectNode) copy.get("choices").get(i).get("message")).put("content", reasoning);
            }
        }
        return copy == null ? payload : copy;
    }
}
