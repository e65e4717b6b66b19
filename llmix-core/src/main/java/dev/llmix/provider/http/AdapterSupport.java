package dev.llmix.provider.http;

import dev.llmix.config.LlmConfig;
import dev.llmix.config.TimeoutConfig;
import dev.llmix.internal.EcmaScript;
import dev.llmix.internal.JsUndefined;
import dev.llmix.spi.ProviderException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/** Rules shared by every adapter: base URL and key resolution, timeouts, error summaries, kwargs helpers. */
final class AdapterSupport {

    /** Longest error text taken from a response body. */
    static final int MAX_ERROR_TEXT = 2000;

    private static final Pattern SAFE_GPU_PATH = Pattern.compile("^[A-Za-z0-9_-]+(/[A-Za-z0-9_-]+)*$");
    private static final int MAX_GPU_PATH = 256;

    private AdapterSupport() {
    }

    /**
     * Base URL resolution: {@code kwargs.baseUrl}, {@code kwargs.base_url},
     * {@code config.baseUrl}, the adapter's base URL, the provider default; first non-blank string wins, trailing
     * slashes removed. Returns null when none is set.
     */
    static @Nullable String resolveBaseUrl(Map<String, ?> kwargs, @Nullable String configBaseUrl,
            @Nullable String adapterBaseUrl, @Nullable String providerDefault) {
        String chosen = firstNonBlank(kwargs.get("baseUrl"), kwargs.get("base_url"), configBaseUrl, adapterBaseUrl,
                providerDefault);
        return chosen == null ? null : validBaseUrl(chosen);
    }

    static @Nullable String firstNonBlank(@Nullable Object... candidates) {
        for (Object c : candidates) {
            if (c instanceof String s && !s.isBlank()) {
                return s;
            }
        }
        return null;
    }

    /** Trims, removes trailing slashes and checks that the result is an absolute http(s) URI. */
    static String validBaseUrl(String raw) {
        String s = stripTrailingSlashes(raw.strip());
        URI uri;
        try {
            uri = new URI(s);
        } catch (URISyntaxException e) {
            throw new AdapterConfigException("invalid base_url: " + e.getReason());
        }
        String scheme = uri.getScheme();
        if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))) {
            throw new AdapterConfigException("invalid base_url: expected an absolute http or https URL");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new AdapterConfigException("invalid base_url: missing host");
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new AdapterConfigException("invalid base_url: query and fragment are not allowed");
        }
        return s;
    }

    static String stripTrailingSlashes(String s) {
        int end = s.length();
        while (end > 0 && s.charAt(end - 1) == '/') {
            end--;
        }
        return s.substring(0, end);
    }

    /** {@code base + path} as a URI; the base keeps any path it has. */
    static URI endpoint(String base, String path) {
        try {
            return new URI(base + path);
        } catch (URISyntaxException e) {
            throw new AdapterConfigException("invalid base_url: " + e.getReason());
        }
    }

    /**
     * The API key: the dispatch key trimmed, else the environment variable trimmed, else a local error
     * {@code <provider> provider requires <ENV_NAME>} (TS {@code requireApiKey}). Trimming is JavaScript's
     * {@code trim()}, so a key of only U+00A0 or U+FEFF is blank and U+001F is not, as in the other bindings.
     */
    static String requireApiKey(@Nullable String explicit, @Nullable String envValue, String envName,
            String provider) {
        String key = explicit == null ? "" : EcmaScript.trim(explicit);
        if (key.isEmpty() && envValue != null) {
            key = EcmaScript.trim(envValue);
        }
        if (key.isEmpty()) {
            throw new AdapterConfigException(provider + " provider requires " + envName);
        }
        return key;
    }

    /** {@code timeout.totalTime} when present and positive, else the adapter default. */
    static Duration requestTimeout(LlmConfig config, Duration adapterDefault) {
        TimeoutConfig t = config.timeout();
        if (t != null && t.totalTime() != null) {
            double seconds = t.totalTime().doubleValue();
            if (Double.isFinite(seconds) && seconds > 0) {
                Duration d = t.totalTimeDuration();
                if (d != null && !d.isZero()) {
                    return d;
                }
            }
        }
        return adapterDefault;
    }

    /** A copy of kwargs without null and {@code undefined} values (they are never sent). */
    static Map<String, @Nullable Object> presentEntries(Map<String, ?> kwargs) {
        Map<String, @Nullable Object> out = new LinkedHashMap<>();
        kwargs.forEach((k, v) -> {
            if (v != null && !(v instanceof JsUndefined)) {
                out.put(k, v);
            }
        });
        return out;
    }

    /** {@code config.providerOptions[name]} when it is an object, else null. */
    static @Nullable Map<String, @Nullable Object> providerOptions(LlmConfig config, String name) {
        Map<String, @Nullable Object> all = config.providerOptions();
        return all == null ? null : Json.object(all.get(name));
    }

    /** The text of a message content: a string as is, or the text of its parts joined with {@code separator}. */
    static @Nullable String text(@Nullable Object content, String separator) {
        if (content instanceof String s) {
            return s;
        }
        if (content instanceof List<?> parts) {
            StringBuilder sb = new StringBuilder();
            boolean any = false;
            for (Object part : parts) {
                String t = part instanceof String s ? s
                        : part instanceof Map<?, ?> m && m.get("text") instanceof String s2 ? s2 : null;
                if (t != null) {
                    if (any) {
                        sb.append(separator);
                    }
                    sb.append(t);
                    any = true;
                }
            }
            return any ? sb.toString() : null;
        }
        return null;
    }

    // ---- gpu path and sno-gpu base --------------------------------------------------------------------------

    /** Validates a gpu path; empty means none. */
    static @Nullable String validGpuPath(@Nullable Object gpuPath) {
        if (gpuPath == null || gpuPath instanceof JsUndefined || "".equals(gpuPath)) {
            return null;
        }
        if (gpuPath instanceof String p && p.length() <= MAX_GPU_PATH && !p.contains("..")
                && SAFE_GPU_PATH.matcher(p).matches()) {
            return p;
        }
        throw new AdapterConfigException("Invalid gpu_path: " + Json.writeString(gpuPath)
                + ". Must be a safe relative path using letters, digits, \"_\", \"-\", or \"/\".");
    }

    // ---- responses ------------------------------------------------------------------------------------------

    /** The {@link ProviderException} for a non-2xx reply. */
    static ProviderException errorFrom(HttpTransport.Reply reply, List<String> secrets) {
        // errorMessage masks before it cuts: a key echoed across the cut would otherwise leave a fragment behind.
        String message = errorMessage(reply.status(), reply.body(), secrets);
        return new ProviderException(message, reply.status(), reply.headers());
    }

    static String errorMessage(int status, byte[] body) {
        return errorMessage(status, body, List.of());
    }

    /** The error text of a non-2xx reply, with every secret masked before the text is cut to its limit. */
    static String errorMessage(int status, byte[] body, List<String> secrets) {
        String text = new String(body, StandardCharsets.UTF_8).strip();
        if (!text.isEmpty()) {
            try {
                JsonNode node = Json.MAPPER.readTree(text);
                if (node != null && node.isObject()) {
                    String m = Json.string(node.path("error").path("message"));
                    if (m == null) {
                        m = Json.string(node.get("message"));
                    }
                    if (m != null && !m.isBlank()) {
                        return cap(Redaction.redact(m.strip(), secrets));
                    }
                }
            } catch (JacksonException notJson) {
                // Plain-text error bodies are summarised as text below.
            }
            return cap(Redaction.redact(text, secrets));
        }
        return "provider request failed with status " + status;
    }

    private static String cap(String s) {
        return s.length() <= MAX_ERROR_TEXT ? s : s.substring(0, MAX_ERROR_TEXT) + "…";
    }

    /** The JSON object of a 2xx reply, or {@code invalid provider response: <reason>} without status. */
    static JsonNode parseSuccess(HttpTransport.Reply reply, List<String> secrets) {
        JsonNode node;
        try {
            node = Json.MAPPER.readTree(reply.body());
        } catch (JacksonException e) {
            // Mask first, then cut, so no key fragment survives the 200-character excerpt.
            String reason = Redaction.redact(e.getOriginalMessage(), secrets);
            if (reason.length() > 200) {
                reason = reason.substring(0, 200) + "…";
            }
            throw invalidResponse(reason, reply);
        }
        if (node == null || !node.isObject()) {
            throw invalidResponse("expected a JSON object", reply);
        }
        return node;
    }

    static ProviderException invalidResponse(String reason, HttpTransport.Reply reply) {
        return new ProviderException("invalid provider response: " + reason, null, reply.headers());
    }

    /** Environment lookup that treats blank as unset. */
    static @Nullable String env(Function<String, @Nullable String> env, String name) {
        String v = env.apply(name);
        return v == null || v.isBlank() ? null : v;
    }
}
