package dev.llmix.internal.kwargs;

import dev.llmix.internal.KwargsValues;
import dev.llmix.internal.KwargsValues;
import dev.llmix.provider.ModelCapabilities;
import dev.llmix.provider.ProviderKwargsException;
import dev.llmix.spi.TransformKwargsCallback;
import dev.llmix.spi.TransformKwargsContext;
import dev.llmix.internal.EcmaScript;
import dev.llmix.internal.JsNumbers;
import dev.llmix.internal.JsonStrings;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The built-in kwargs transforms; each provider's descriptor ({@code dev.llmix.providers}) says which one it uses.
 * Built-ins never mutate their input and return it unchanged when they have nothing to do. They are public so an
 * override can run a built-in first and then add to its result.
 */
public final class ProviderKwargsTransforms {

    /** The environment variable {@code sno-gpu} falls back to when the config has no base URL. */
    public static final String GPU_BASE_URL_ENV = "GPU_BASE_URL";

    static final String MISSING_GPU_BASE_URL =
            "sno-gpu provider requires a non-empty base_url in config or GPU_BASE_URL env var";

    private static final int MAX_GPU_PATH_LENGTH = 256;
    private static final Map<String, Object> DEFAULT_OPENROUTER_PROVIDER = Map.of("sort", "price");

    private static final TransformKwargsCallback OPENAI = ProviderKwargsTransforms::openaiTransform;
    private static final TransformKwargsCallback OPENROUTER = ProviderKwargsTransforms::openrouterTransform;
    private static final TransformKwargsCallback GEMINI = ProviderKwargsTransforms::geminiTransform;
    private static final TransformKwargsCallback SNO_GPU_SYSTEM_ENV = snoGpu(System::getenv);

    private ProviderKwargsTransforms() {
    }

    /**
     * OpenAI reasoning-model rules: for a reasoning model ({@link ModelCapabilities#isReasoningModel()}) removes
     * {@code temperature} and {@code top_p} and moves {@code max_tokens} to {@code max_completion_tokens} unless the
     * latter is already set; other models are left alone.
     */
    public static TransformKwargsCallback openai() {
        return OPENAI;
    }

    /**
     * OpenRouter routing defaults (also used for {@code deepseek}): fills {@code extra_body.provider} from
     * {@code providerOptions.openrouter.provider} or {@code {"sort":"price"}}, and {@code extra_body.reasoning} from
     * {@code providerOptions.openrouter.reasoning}; members already in {@code extra_body} win.
     */
    public static TransformKwargsCallback openrouter() {
        return OPENROUTER;
    }

    /**
     * Gemini thinking budget (providers {@code google} and {@code gemini}): sets {@code thinkingConfig.thinkingBudget}
     * to the explicit {@code providerOptions.google.thinkingConfig.thinkingBudget}, else to {@code 0} unless
     * {@code enableThinking} is true; an existing {@code thinkingConfig.thinkingBudget} wins.
     */
    public static TransformKwargsCallback gemini() {
        return GEMINI;
    }

    /** The {@code sno-gpu} transform reading {@code GPU_BASE_URL} from the process environment. */
    public static TransformKwargsCallback snoGpu() {
        return SNO_GPU_SYSTEM_ENV;
    }

    /**
     * The {@code sno-gpu} transform: builds {@code kwargs.baseUrl} from the config base URL (or env
     * {@code GPU_BASE_URL}, read at call time) and {@code providerOptions["sno-gpu"].gpuPath}, and surfaces
     * {@code enableThinking} / {@code thinkingBudget} for the adapter.
     *
     * @param env environment lookup
     * @throws ProviderKwargsException (from the callback) when no usable base URL exists or {@code gpuPath} is unsafe
     */
    public static TransformKwargsCallback snoGpu(Function<String, @Nullable String> env) {
        Objects.requireNonNull(env, "env");
        return (ctx, kwargs) -> snoGpuTransform(ctx, kwargs, env);
    }

    /**
     * The {@code sno-gpu} endpoint base for {@code base} and {@code gpuPath}: trailing {@code /} removed, then one
     * trailing {@code /v1}, then {@code /<gpuPath>/v1} or {@code /v1} appended. Shared by the transform and the
     * adapter's own fallback so both build URLs the same way.
     *
     * @param base                the configured base URL (may be empty)
     * @param gpuPath             {@code providerOptions["sno-gpu"].gpuPath}: absent, {@code null} or {@code ""} for
     *                            none
     * @param missingBaseMessage  the error message when {@code base} is blank after stripping
     * @throws ProviderKwargsException when {@code base} is blank or {@code gpuPath} is not a safe relative path
     */
    public static String snoGpuBaseUrl(String base, @Nullable Object gpuPath, String missingBaseMessage) {
        String stripped = stripTrailingSlashes(base);
        if (stripped.endsWith("/v1")) {
            stripped = stripped.substring(0, stripped.length() - 3);
        }
        if (EcmaScript.trim(stripped).isEmpty()) {
            throw new ProviderKwargsException(missingBaseMessage);
        }
        if (!KwargsValues.isPresent(gpuPath) || "".equals(gpuPath)) {
            return stripped + "/v1";
        }
        if (!(gpuPath instanceof String path) || !isSafeGpuPath(path)) {
            throw new ProviderKwargsException("Invalid gpu_path: " + quoteGpuPath(gpuPath)
                    + ". Must be a safe relative path using letters, digits, \"_\", \"-\", or \"/\".");
        }
        return stripped + "/" + path + "/v1";
    }

    // ---- openai ------------------------------------------------------------------------------------------------

    private static Map<String, @Nullable Object> openaiTransform(TransformKwargsContext ctx,
            Map<String, @Nullable Object> kwargs) {
        if (!ModelCapabilities.isReasoningModel(ctx.model())) {
            return kwargs;
        }
        Map<String, @Nullable Object> out = KwargsValues.copy(kwargs, 1);
        out.remove("temperature");
        out.remove("top_p");
        if (!KwargsValues.has(out, "max_completion_tokens")) {
            // A null max_tokens counts as absent: it is dropped rather than turned into a null cap.
            Object maxTokens = out.remove("max_tokens");
            if (KwargsValues.isPresent(maxTokens)) {
                out.put("max_completion_tokens", maxTokens);
            }
        }
        return out;
    }

    // ---- openrouter / deepseek ---------------------------------------------------------------------------------

    private static Map<String, @Nullable Object> openrouterTransform(TransformKwargsContext ctx,
            Map<String, @Nullable Object> kwargs) {
        Map<?, ?> existing = KwargsValues.object(kwargs, "extra_body");
        Map<String, @Nullable Object> extra = KwargsValues.copyObject(existing, 2);
        Map<?, ?> options = KwargsValues.object(ctx.providerOptions(), "openrouter");
        if (!KwargsValues.has(extra, "provider")) {
            Object provider = KwargsValues.value(options, "provider");
            extra.put("provider", provider instanceof Map<?, ?> ? provider : DEFAULT_OPENROUTER_PROVIDER);
        }
        if (!KwargsValues.has(extra, "reasoning")) {
            // Only an object is forwarded: TS would also copy null or a string, which the provider rejects.
            Object reasoning = KwargsValues.value(options, "reasoning");
            if (reasoning instanceof Map<?, ?>) {
                extra.put("reasoning", reasoning);
            }
        }
        Map<String, @Nullable Object> out = KwargsValues.copy(kwargs, 1);
        out.put("extra_body", extra);
        return out;
    }

    // ---- google / gemini ---------------------------------------------------------------------------------------

    private static Map<String, @Nullable Object> geminiTransform(TransformKwargsContext ctx,
            Map<String, @Nullable Object> kwargs) {
        Map<?, ?> google = KwargsValues.object(ctx.providerOptions(), "google");
        Map<?, ?> thinkingOptions = KwargsValues.object(google, "thinkingConfig");
        Object explicit = KwargsValues.value(thinkingOptions, "thinkingBudget");
        Object budget;
        if (KwargsValues.isIntegral(explicit)) {
            budget = explicit;
        } else if (Boolean.TRUE.equals(ctx.enableThinking())) {
            return kwargs;
        } else {
            budget = 0;
        }
        Map<?, ?> existing = KwargsValues.object(kwargs, "thinkingConfig");
        if (existing != null && KwargsValues.isPresent(existing.get("thinkingBudget"))) {
            return kwargs;
        }
        Map<String, @Nullable Object> thinkingConfig = KwargsValues.copyObject(existing, 1);
        thinkingConfig.put("thinkingBudget", budget);
        Map<String, @Nullable Object> out = KwargsValues.copy(kwargs, 1);
        out.put("thinkingConfig", thinkingConfig);
        return out;
    }

    // ---- sno-gpu -----------------------------------------------------------------------------------------------

    private static Map<String, @Nullable Object> snoGpuTransform(TransformKwargsContext ctx,
            Map<String, @Nullable Object> kwargs, Function<String, @Nullable String> env) {
        Map<?, ?> options = KwargsValues.object(ctx.providerOptions(), "sno-gpu");

        String base = ctx.baseUrl() == null ? "" : stripTrailingSlashes(ctx.baseUrl());
        if (base.isEmpty()) {
            String fromEnv = env.apply(GPU_BASE_URL_ENV);
            base = fromEnv == null ? "" : fromEnv;
        }
        String baseUrl = snoGpuBaseUrl(base, KwargsValues.value(options, "gpuPath"), MISSING_GPU_BASE_URL);

        Map<String, @Nullable Object> out = KwargsValues.copy(kwargs, 3);
        out.put("baseUrl", baseUrl);

        boolean flagGiven = KwargsValues.has(kwargs, "enableThinking") || KwargsValues.has(kwargs, "enable_thinking");
        if (!flagGiven) {
            Object enable = KwargsValues.value(options, "enableThinking");
            if (!(enable instanceof Boolean)) {
                enable = ctx.enableThinking();
            }
            if (enable != null) {
                out.put("enableThinking", enable);
            }
        }
        boolean budgetGiven = KwargsValues.has(kwargs, "thinkingBudget") || KwargsValues.has(kwargs, "thinking_budget");
        if (!budgetGiven && KwargsValues.value(options, "thinkingBudget") instanceof Number budget) {
            out.put("thinkingBudget", budget);
        }
        return out;
    }

    private static String stripTrailingSlashes(String s) {
        int end = s.length();
        while (end > 0 && s.charAt(end - 1) == '/') {
            end--;
        }
        return end == s.length() ? s : s.substring(0, end);
    }

    /** {@code ^[A-Za-z0-9_-]+(/[A-Za-z0-9_-]+)*$}, at most 256 characters, written out to avoid a regex per call. */
    private static boolean isSafeGpuPath(String path) {
        int n = path.length();
        if (n == 0 || n > MAX_GPU_PATH_LENGTH || path.contains("..")) {
            return false;
        }
        boolean segmentEmpty = true;
        for (int i = 0; i < n; i++) {
            char c = path.charAt(i);
            if (c == '/') {
                if (segmentEmpty) {
                    return false;
                }
                segmentEmpty = true;
            } else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_'
                    || c == '-') {
                segmentEmpty = false;
            } else {
                return false;
            }
        }
        return !segmentEmpty;
    }

    private static String quoteGpuPath(Object gpuPath) {
        if (gpuPath instanceof Number n) {
            return JsNumbers.toString(n.doubleValue());
        }
        if (gpuPath instanceof Boolean) {
            return gpuPath.toString();
        }
        return JsonStrings.quote(String.valueOf(gpuPath));
    }
}
