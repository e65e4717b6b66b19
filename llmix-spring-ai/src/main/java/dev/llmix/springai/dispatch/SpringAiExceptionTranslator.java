package dev.llmix.springai.dispatch;

import dev.llmix.keys.ApiKeys;
import dev.llmix.spi.ProviderException;
import java.io.IOException;
import java.lang.reflect.Method;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.ai.retry.NonTransientAiException;
import org.springframework.ai.retry.TransientAiException;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClientResponseException;

/**
 * Turns what a Spring AI {@code ChatModel} throws into the {@link ProviderException} LLMix's retry loop, circuit
 * breaker, AIMD limiter and key pool understand: an HTTP status (with response headers such as {@code retry-after})
 * for provider errors, no status for network errors. Messages keep only the first line of the original (at most 500
 * characters) with the given secrets masked. Thread-safe.
 */
public final class SpringAiExceptionTranslator {

    private static final int MAX_DEPTH = 8;
    private static final int MAX_DETAIL = 500;
    private static final Pattern STATUS_PREFIX = Pattern.compile("^(?:HTTP )?(\\d{3}) - ");
    private static final Map<Class<?>, Optional<Method[]>> STATUS_METHODS = new ConcurrentHashMap<>();

    private SpringAiExceptionTranslator() {
    }

    /**
     * The translation of {@code error} thrown by the delegate named {@code delegateName}: a {@link ProviderException}
     * when the error or one of its causes is recognised, else {@code error} itself.
     *
     * @param secrets values that must not appear in the message (the attempt's key, the delegate's own key)
     */
    public static Throwable translate(Throwable error, String delegateName, Collection<String> secrets) {
        Throwable t = error;
        for (int depth = 0; t != null && depth <= MAX_DEPTH; depth++, t = t.getCause()) {
            if (t instanceof ProviderException || t instanceof InterruptedException
                    || t instanceof CancellationException) {
                return t;
            }
            if (t instanceof RestClientResponseException r) {
                Map<String, String> headers = new LinkedHashMap<>();
                r.getResponseHeaders().forEach((k, v) -> putFirst(headers, k, v));
                return status(delegateName, r.getStatusCode().value(), headers, t, secrets);
            }
            if (t.getClass().getName().endsWith("WebClientResponseException")
                    || isSubclassOf(t.getClass(), "org.springframework.web.reactive.function.client"
                            + ".WebClientResponseException")) {
                ProviderException p = reflectiveWebClient(t, delegateName, secrets);
                if (p != null) {
                    return p;
                }
            }
            ProviderException sdk = reflectiveStatus(t, delegateName, secrets);
            if (sdk != null) {
                return sdk;
            }
            if (t instanceof TransientAiException || t instanceof NonTransientAiException) {
                String message = t.getMessage() == null ? "" : t.getMessage();
                Matcher m = STATUS_PREFIX.matcher(message);
                if (m.find()) {
                    int status = Integer.parseInt(m.group(1));
                    if (status >= 100 && status <= 599) {
                        return status(delegateName, status, Map.of(), t, secrets);
                    }
                }
                return t instanceof TransientAiException ? network(delegateName, t, secrets)
                        : status(delegateName, 400, Map.of(), t, secrets);
            }
            if (t instanceof ResourceAccessException || t instanceof IOException || t instanceof TimeoutException
                    || t.getClass().getName().equals("com.openai.errors.OpenAIIoException")) {
                return network(delegateName, t, secrets);
            }
        }
        return error;
    }

    private static ProviderException status(String delegate, int status, Map<String, String> headers, Throwable t,
            Collection<String> secrets) {
        return new ProviderException(delegate + " returned HTTP " + status + ": " + detail(t, secrets), status,
                headers);
    }

    private static ProviderException network(String delegate, Throwable t, Collection<String> secrets) {
        return ProviderException.network(delegate + " request failed: " + detail(t, secrets), null);
    }

    /** The first line of the message, at most 500 characters, secrets masked. */
    static String detail(Throwable t, Collection<String> secrets) {
        String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        for (String secret : secrets) {
            if (secret != null && !secret.isEmpty()) {
                message = message.replace(secret, ApiKeys.mask(secret));
            }
        }
        int nl = message.indexOf('\n');
        if (nl >= 0) {
            message = message.substring(0, nl);
        }
        return message.length() > MAX_DETAIL ? message.substring(0, MAX_DETAIL) : message;
    }

    private static void putFirst(Map<String, String> headers, @Nullable String name, @Nullable List<String> values) {
        if (name != null && values != null && !values.isEmpty() && values.get(0) != null) {
            headers.put(name.toLowerCase(Locale.ROOT), values.get(0));
        }
    }

    private static boolean isSubclassOf(Class<?> c, String name) {
        for (Class<?> k = c; k != null; k = k.getSuperclass()) {
            if (k.getName().equals(name)) {
                return true;
            }
        }
        return false;
    }

    private static @Nullable ProviderException reflectiveWebClient(Throwable t, String delegate,
            Collection<String> secrets) {
        try {
            Object code = t.getClass().getMethod("getStatusCode").invoke(t);
            int status = (int) code.getClass().getMethod("value").invoke(code);
            Object headers = t.getClass().getMethod("getHeaders").invoke(t);
            Map<String, String> out = new LinkedHashMap<>();
            if (headers instanceof org.springframework.http.HttpHeaders h) {
                h.forEach((k, v) -> putFirst(out, k, v));
            }
            return status(delegate, status, out, t, secrets);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    /** SDK exceptions (openai-java, anthropic-java, AWS): a public {@code int statusCode()} and {@code headers()}. */
    private static @Nullable ProviderException reflectiveStatus(Throwable t, String delegate,
            Collection<String> secrets) {
        Optional<Method[]> methods = STATUS_METHODS.computeIfAbsent(t.getClass(), SpringAiExceptionTranslator::find);
        if (methods.isEmpty()) {
            return null;
        }
        try {
            int status = (int) methods.get()[0].invoke(t);
            if (status < 100 || status > 599) {
                return null;
            }
            Map<String, String> out = new LinkedHashMap<>();
            Method headersMethod = methods.get()[1];
            if (headersMethod != null) {
                readHeaders(headersMethod.invoke(t), out);
            }
            return status(delegate, status, out, t, secrets);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    private static Optional<Method[]> find(Class<?> c) {
        try {
            Method status = c.getMethod("statusCode");
            if (status.getReturnType() != int.class || status.getParameterCount() != 0) {
                return Optional.empty();
            }
            status.setAccessible(true);
            Method headers = null;
            try {
                headers = c.getMethod("headers");
                headers.setAccessible(true);
            } catch (NoSuchMethodException e) {
                // status only
            }
            return Optional.of(new Method[] {status, headers});
        } catch (NoSuchMethodException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static void readHeaders(@Nullable Object headers, Map<String, String> out)
            throws ReflectiveOperationException {
        if (headers == null) {
            return;
        }
        if (headers instanceof Map<?, ?> map) {
            map.forEach((k, v) -> {
                if (k instanceof String name && v instanceof List<?> list && !list.isEmpty()
                        && list.get(0) instanceof String first) {
                    out.put(name.toLowerCase(Locale.ROOT), first);
                }
            });
            return;
        }
        Method names = headers.getClass().getMethod("names");
        Method values = headers.getClass().getMethod("values", String.class);
        names.setAccessible(true);
        values.setAccessible(true);
        for (Object name : (Iterable<?>) names.invoke(headers)) {
            if (name instanceof String n && values.invoke(headers, n) instanceof List<?> list && !list.isEmpty()
                    && list.get(0) instanceof String first) {
                out.put(n.toLowerCase(Locale.ROOT), first);
            }
        }
    }
}
