package dev.llmix.provider.http;

import dev.llmix.config.LlmConfig;
import dev.llmix.spi.DispatchContext;
import dev.llmix.spi.LlmUsage;
import dev.llmix.spi.ProviderException;
import dev.llmix.spi.ProviderResult;
import dev.llmix.spi.DispatchContext;
import dev.llmix.spi.LlmUsage;
import dev.llmix.spi.ProviderException;
import dev.llmix.spi.ProviderResult;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * Gemini {@code generateContent} ({@code POST {base}/models/{model}:generateContent}, key in the
 * {@code x-goog-api-key} header, never in the URL) for providers {@code google} and {@code gemini}. Messages become
 * {@code contents} and {@code systemInstruction}; generation parameters move into {@code generationConfig}; unknown
 * kwargs are dropped because the API rejects unknown fields.
 */
public final class GeminiAdapter extends AbstractHttpAdapter {

    /** Default base URL ({@code v1beta}, where every field used here is documented). */
    public static final String DEFAULT_BASE_URL = "https://generativelanguage.googleapis.com/v1beta";
    /** Key fallback variable. */
    public static final String KEY_ENV = "GEMINI_API_KEY";

    /** An adapter with {@link AdapterOptions#defaults()}. */
    public GeminiAdapter() {
        this(AdapterOptions.defaults());
    }

    /** An adapter with the given options. */
    public GeminiAdapter(AdapterOptions options) {
        super(options);
    }

    @Override
    Prepared prepare(DispatchContext ctx) {
        String base = baseUrl(ctx, DEFAULT_BASE_URL);
        String key = apiKey(ctx, KEY_ENV);
        String model = ctx.model().startsWith("models/") ? ctx.model().substring("models/".length()) : ctx.model();
        if (model.isBlank()) {
            throw new AdapterConfigException("gemini model must not be empty");
        }
        String path = "/models/" + URLEncoder.encode(model, StandardCharsets.UTF_8).replace("+", "%20")
                + ":generateContent";
        Map<String, @Nullable Object> body = buildBody(ctx.messages(), ctx.kwargs(), ctx.config());
        HttpTransport.Request request = new HttpTransport.Request(AdapterSupport.endpoint(base, path),
                Map.of("x-goog-api-key", key), Json.write(body),
                requestTimeout(ctx, AdapterOptions.DEFAULT_REQUEST_TIMEOUT), List.of(key), false);
        return new Prepared(request, ctx.provider(), model, null, ctx.messages().size());
    }

    @Override
    ProviderResult parse(JsonNode body, Map<String, String> headers, Prepared prepared) {
        JsonNode candidates = body.get("candidates");
        if (candidates == null || !candidates.isArray() || candidates.isEmpty()) {
            String reason = Json.string(body.path("promptFeedback").get("blockReason"));
            if (reason != null) {
                throw new ProviderException("gemini response has no candidates: " + reason, null, headers);
            }
        }
        JsonNode candidate = body.path("candidates").path(0);
        String finish = Json.string(candidate.get("finishReason"));
        if ("MALFORMED_FUNCTION_CALL".equals(finish) || "UNEXPECTED_TOOL_CALL".equals(finish)) {
            // Without status: retried like a network error, since a new sample usually succeeds.
            throw new ProviderException("gemini finish reason " + finish + ": "
                    + Json.string(candidate.get("finishMessage")), null, headers);
        }
        StringBuilder text = new StringBuilder();
        List<@Nullable Object> toolCalls = new ArrayList<>();
        String responseId = Json.string(body.get("responseId"));
        JsonNode parts = candidate.path("content").path("parts");
        if (parts.isArray()) {
            for (JsonNode part : parts) {
                if (part.path("thought").asBoolean(false)) {
                    continue;
                }
                String t = Json.string(part.get("text"));
                if (t != null) {
                    text.append(t);
                }
                JsonNode call = part.get("functionCall");
                if (call != null && call.isObject()) {
                    toolCalls.add(GeminiTools.toolCall(call, Json.string(part.get("thoughtSignature")),
                            responseId == null ? "" : responseId, prepared.messageCount(), toolCalls.size()));
                }
            }
        }
        String model = Json.string(body.get("modelVersion"));
        return new ProviderResult(text.toString(), model == null || model.isEmpty() ? prepared.model() : model,
                usage(body.get("usageMetadata")), headers, toolCalls.isEmpty() ? null : toolCalls,
                ToolWire.geminiFinishReason(finish, !toolCalls.isEmpty()), null);
    }

    @Override
    Map<String, @Nullable Object> streamBody(Map<String, @Nullable Object> callBody) {
        return callBody;
    }

    /** {@code …:streamGenerateContent?alt=sse} in place of {@code …:generateContent}. */
    @Override
    URI streamUri(URI callUri) {
        String s = callUri.toString();
        String call = ":generateContent";
        if (!s.endsWith(call)) {
            throw new AdapterConfigException("gemini endpoint does not end with " + call);
        }
        return URI.create(s.substring(0, s.length() - call.length()) + ":streamGenerateContent?alt=sse");
    }

    @Override
    StreamDecoder newStreamDecoder(Prepared prepared) {
        return new GeminiStreamDecoder(prepared.request().secrets(), prepared.messageCount());
    }

    /** Output tokens include thinking tokens; cached input is {@code cachedContentTokenCount}. */
    static LlmUsage usage(@Nullable JsonNode usage) {
        if (usage == null || !usage.isObject()) {
            return LlmUsage.ZERO;
        }
        long in = Json.count(usage.get("promptTokenCount"));
        long out = Json.addCounts(Json.count(usage.get("candidatesTokenCount")), Json.count(usage.get("thoughtsTokenCount")));
        JsonNode total = usage.get("totalTokenCount");
        JsonNode cached = usage.get("cachedContentTokenCount");
        return new LlmUsage(in, out, Json.isCount(total) ? Json.count(total) : Json.addCounts(in, out),
                cached != null && cached.isNumber() ? Json.count(cached) : null);
    }

    /** The {@code generateContent} body. */
    static Map<String, @Nullable Object> buildBody(List<?> messages, Map<String, ?> rawKwargs, LlmConfig config) {
        Map<String, @Nullable Object> kw = AdapterSupport.presentEntries(rawKwargs);
        Map<String, @Nullable Object> body = new LinkedHashMap<>();
        List<@Nullable Object> system = new ArrayList<>();
        List<@Nullable Object> contents = new ArrayList<>();
        for (int i = 0; i < messages.size(); i++) {
            if (!(messages.get(i) instanceof Map<?, ?> msg)) {
                continue;
            }
            Object role = msg.get("role");
            if ("tool".equals(role)) {
                // A run of tool results is one user turn of functionResponse parts.
                List<@Nullable Object> parts = new ArrayList<>();
                while (i < messages.size() && messages.get(i) instanceof Map<?, ?> t && "tool".equals(t.get("role"))) {
                    parts.add(GeminiTools.functionResponse(t, messages, i));
                    i++;
                }
                i--;
                Map<String, @Nullable Object> c = new LinkedHashMap<>();
                c.put("role", "user");
                c.put("parts", parts);
                contents.add(c);
                continue;
            }
            if (("assistant".equals(role) || "model".equals(role)) && msg.get("tool_calls") instanceof List<?> calls
                    && !calls.isEmpty()) {
                contents.add(GeminiTools.modelTurn(msg, calls));
                continue;
            }
            String text = AdapterSupport.text(msg.get("content"), "");
            if (text == null && msg.get("content") instanceof List<?> parts) {
                text = contentParts(parts);
            }
            if ("system".equals(role)) {
                if (text != null && !text.isEmpty()) {
                    system.add(Map.of("text", text));
                }
                continue;
            }
            String geminiRole = "assistant".equals(role) || "model".equals(role) ? "model" : "user";
            contents.add(content(geminiRole, text == null ? "" : text));
        }
        if (contents.isEmpty()) {
            contents.add(content("user", "Please respond."));
        } else if (contents.get(contents.size() - 1) instanceof Map<?, ?> last && "model".equals(last.get("role"))) {
            contents.add(content("user", "Continue."));
        }
        body.put("contents", contents);
        if (!system.isEmpty()) {
            body.put("systemInstruction", Map.of("parts", system));
        }

        Map<String, @Nullable Object> gen = new LinkedHashMap<>();
        Object given = kw.get("generationConfig") != null ? kw.get("generationConfig") : kw.get("generation_config");
        if (given instanceof Map<?, ?> g) {
            g.forEach((k, v) -> gen.put(String.valueOf(k), v));
        }
        putFirst(gen, "temperature", kw, "temperature");
        putFirst(gen, "maxOutputTokens", kw, "max_tokens", "max_completion_tokens", "maxTokens");
        putFirst(gen, "topP", kw, "top_p", "topP");
        putFirst(gen, "topK", kw, "top_k", "topK");
        putFirst(gen, "seed", kw, "seed");
        Object stop = kw.get("stop") != null ? kw.get("stop") : kw.get("stopSequences");
        if (stop instanceof String s) {
            gen.put("stopSequences", List.of(s));
        } else if (stop instanceof List<?> list) {
            gen.put("stopSequences", list);
        }
        Map<String, @Nullable Object> format = ResponseFormats.outputMode(kw.get("response_format"));
        if (format != null && "json".equals(format.get("type"))) {
            gen.put("responseMimeType", "application/json");
            if (format.get("schema") != null) {
                gen.put("responseJsonSchema", ToolWire.geminiSchema(format.get("schema")));
            }
        }
        Map<String, @Nullable Object> thinking = thinkingConfig(kw, config);
        if (thinking != null) {
            gen.put("thinkingConfig", thinking);
        }
        Map<String, @Nullable Object> google = AdapterSupport.providerOptions(config, "google");
        if (google != null) {
            if (google.get("responseModalities") != null) {
                gen.put("responseModalities", google.get("responseModalities"));
            }
            if (google.get("safetySettings") != null) {
                body.put("safetySettings", google.get("safetySettings"));
            }
            if (google.get("cachedContent") != null) {
                body.put("cachedContent", google.get("cachedContent"));
            }
        }
        applyTools(body, kw);
        if (!gen.isEmpty()) {
            body.put("generationConfig", gen);
        }
        return body;
    }

    private static @Nullable String contentParts(List<?> parts) {
        StringBuilder sb = new StringBuilder();
        boolean any = false;
        for (Object p : parts) {
            if (p instanceof Map<?, ?> part && part.get("content") instanceof String s) {
                sb.append(s);
                any = true;
            }
        }
        return any ? sb.toString() : null;
    }

    private static Map<String, @Nullable Object> content(String role, String text) {
        Map<String, @Nullable Object> c = new LinkedHashMap<>();
        c.put("role", role);
        c.put("parts", List.of(Map.of("text", text)));
        return c;
    }

    private static void putFirst(Map<String, @Nullable Object> target, String name, Map<String, ?> kw,
            String... keys) {
        for (String k : keys) {
            Object v = kw.get(k);
            if (v != null) {
                target.put(name, v);
                return;
            }
        }
    }

    /**
     * {@code thinkingConfig} from kwargs ({@code thinking_budget} renamed) merged with
     * {@code providerOptions.google.thinkingConfig} ({@code includeThoughts}, {@code thinkingLevel}); a budget that
     * only came from the transform's default is dropped when a level is set (Gemini 3 rejects both together).
     */
    static @Nullable Map<String, @Nullable Object> thinkingConfig(Map<String, ?> kw, LlmConfig config) {
        Map<String, @Nullable Object> out = new LinkedHashMap<>();
        Object camel = kw.get("thinkingConfig");
        Object snake = kw.get("thinking_config");
        Object source = camel instanceof Map<?, ?> ? camel : snake;
        if (source instanceof Map<?, ?> src) {
            src.forEach((k, v) -> out.put("thinking_budget".equals(k) ? "thinkingBudget"
                    : "include_thoughts".equals(k) ? "includeThoughts"
                    : "thinking_level".equals(k) ? "thinkingLevel" : String.valueOf(k), v));
        }
        Map<String, @Nullable Object> google = AdapterSupport.providerOptions(config, "google");
        Map<String, @Nullable Object> options = google == null ? null : Json.object(google.get("thinkingConfig"));
        if (options != null) {
            for (String k : List.of("includeThoughts", "thinkingLevel")) {
                if (options.get(k) != null) {
                    out.put(k, options.get(k));
                }
            }
            boolean explicitBudget = options.get("thinkingBudget") != null;
            if (out.containsKey("thinkingLevel") && !explicitBudget) {
                out.remove("thinkingBudget");
            }
        }
        return out.isEmpty() ? null : out;
    }

    /** OpenAI-format tools to {@code functionDeclarations}, {@code tool_choice} to {@code toolConfig}. */
    private static void applyTools(Map<String, @Nullable Object> body, Map<String, @Nullable Object> kw) {
        if (!(kw.get("tools") instanceof List<?> tools) || tools.isEmpty()) {
            return;
        }
        List<@Nullable Object> declarations = new ArrayList<>();
        for (Object t : tools) {
            if (t instanceof Map<?, ?> tool && tool.get("function") instanceof Map<?, ?> fn) {
                Map<String, @Nullable Object> d = new LinkedHashMap<>();
                d.put("name", fn.get("name"));
                if (fn.get("description") != null) {
                    d.put("description", fn.get("description"));
                }
                GeminiTools.checkName(fn.get("name"));
                if (fn.get("parameters") != null) {
                    d.put("parametersJsonSchema", ToolWire.geminiSchema(fn.get("parameters")));
                }
                declarations.add(d);
            }
        }
        if (declarations.isEmpty()) {
            return;
        }
        body.put("tools", List.of(Map.of("functionDeclarations", declarations)));
        Object choice = kw.get("tool_choice");
        String mode = "auto".equals(choice) ? "AUTO" : "required".equals(choice) ? "ANY"
                : "none".equals(choice) ? "NONE" : null;
        Map<String, @Nullable Object> fcc = new LinkedHashMap<>();
        if (mode != null) {
            fcc.put("mode", mode);
        } else if (choice instanceof Map<?, ?> c && c.get("function") instanceof Map<?, ?> fn) {
            fcc.put("mode", "ANY");
            fcc.put("allowedFunctionNames", List.of(String.valueOf(fn.get("name"))));
        }
        if (!fcc.isEmpty()) {
            body.put("toolConfig", Map.of("functionCallingConfig", fcc));
        }
    }
}
