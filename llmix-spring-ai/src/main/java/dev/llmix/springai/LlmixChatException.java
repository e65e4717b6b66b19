package dev.llmix.springai;

import dev.llmix.pipeline.CallFailure;
import dev.llmix.pipeline.CallResponse;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.ai.retry.NonTransientAiException;

/**
 * A failed {@link LlmixChatModel} call: the LLMix pipeline returned a failure, or the preset could not be resolved.
 * It is a {@link NonTransientAiException} because LLMix has already retried; a Spring AI retry template must not retry
 * again. The message never contains an API key or an absolute file path.
 */
public final class LlmixChatException extends NonTransientAiException {

    private static final long serialVersionUID = 1L;

    /** Reason of a preset lookup failure. */
    public static final String REASON_PRESET = "preset";
    /** Reason of any failure not recognised more precisely. */
    public static final String REASON_PROVIDER = "provider";

    // A path token starts at the beginning, after whitespace, a quote, '(' or '='; URLs never match because their
    // "//" follows a scheme, not one of those characters.
    private static final Pattern KILL_SWITCH_FILE =
            Pattern.compile("(^|[\\s\"'(=])(?:/|~/|[A-Za-z]:[\\\\/])[^\\s\"')]*killswitch(?=$|[\\s\"')])");
    private static final Pattern PATH =
            Pattern.compile("(^|[\\s\"'(=])(?:/|~/|[A-Za-z]:[\\\\/])[^\\s\"')]*");
    private static final Pattern URL_USER_INFO = Pattern.compile("([A-Za-z][A-Za-z0-9+.-]*://)[^/@\\s]*@");

    private final String reason;
    private final String module;
    private final String preset;
    private final @Nullable String provider;
    private final @Nullable String model;
    // Typed failure of the response; transient because CallFailure is not serialisable (a deserialised copy has none).
    private final transient @Nullable CallFailure failure;

    private LlmixChatException(String message, String reason, String module, String preset,
            @Nullable String provider, @Nullable String model, @Nullable CallFailure failure) {
        super(message);
        this.failure = failure;
        this.reason = reason;
        this.module = module;
        this.preset = preset;
        this.provider = provider;
        this.model = model;
    }

    /** The exception for a failed pipeline response. */
    static LlmixChatException callFailed(String module, String preset, CallResponse response) {
        return callFailed(module, preset, response.provider(), response.model(), response.error(),
                response.failure().orElse(null));
    }

    /** The exception for a pipeline failure whose error text is {@code error}. */
    static LlmixChatException callFailed(String module, String preset, String provider, String model,
            @Nullable String error, @Nullable CallFailure failure) {
        String detail = sanitize(error == null ? "" : error);
        String reason = reasonOf(detail);
        return new LlmixChatException("LLMix call " + module + "/" + preset + " failed (" + reason + "): " + detail,
                reason, module, preset, provider, model, failure);
    }

    /** The exception for a preset that could not be resolved. */
    static LlmixChatException presetFailed(String module, String preset, Throwable lookupFailure) {
        String text = lookupFailure.getMessage() == null ? lookupFailure.getClass().getSimpleName()
                : lookupFailure.getMessage();
        return new LlmixChatException("LLMix preset " + module + "/" + preset + " could not be resolved: "
                + sanitize(text), REASON_PRESET, module, preset, null, null, null);
    }

    /**
     * Why the call failed: {@code kill_switch}, {@code circuit_open}, {@code timeout}, {@code keys_exhausted},
     * {@code no_key_pool}, {@code shut_down}, {@code interrupted}, {@code preset} or {@code provider}.
     */
    public String reason() {
        return reason;
    }

    /** The module of the preset called. */
    public String module() {
        return module;
    }

    /** The preset called. */
    public String preset() {
        return preset;
    }

    /** The provider of the preset, or {@code null} when the preset could not be resolved. */
    public @Nullable String provider() {
        return provider;
    }

    /** The model of the call, or {@code null} when the preset could not be resolved. */
    public @Nullable String model() {
        return model;
    }

    /** The failed response's typed failure; empty for a preset lookup failure. */
    public Optional<CallFailure> failure() {
        return Optional.ofNullable(failure);
    }

    static String reasonOf(String error) {
        if (error.startsWith("Kill switch")) {
            return "kill_switch";
        }
        if (error.startsWith("Circuit breaker OPEN")) {
            return "circuit_open";
        }
        if (error.startsWith("LLM call timed out") || error.startsWith("LLM stream timed out")) {
            return "timeout";
        }
        if (error.startsWith("All ") && error.contains(" keys are dead")) {
            return "keys_exhausted";
        }
        if (error.startsWith("No API key pool for provider")) {
            return "no_key_pool";
        }
        if (error.startsWith("LlmixClient is shut down") || error.startsWith("AdaptiveSemaphore is closed")) {
            return "shut_down";
        }
        if (error.startsWith("Interrupted while waiting")) {
            return "interrupted";
        }
        return REASON_PROVIDER;
    }

    /** Replaces the kill-switch file, other absolute paths and URL credentials; see the class comment. */
    static String sanitize(String text) {
        String s = URL_USER_INFO.matcher(text).replaceAll("$1");
        s = KILL_SWITCH_FILE.matcher(s).replaceAll("$1" + Matcher.quoteReplacement("<state-dir>/killswitch"));
        Matcher m = PATH.matcher(s);
        StringBuilder out = new StringBuilder(s.length());
        while (m.find()) {
            String token = s.substring(m.start() + m.group(1).length(), m.end());
            // "<state-dir>/killswitch" was inserted above and stays.
            m.appendReplacement(out, Matcher.quoteReplacement(m.group(1) + (token.isEmpty() ? "" : "<path>")));
        }
        m.appendTail(out);
        return out.toString();
    }
}
