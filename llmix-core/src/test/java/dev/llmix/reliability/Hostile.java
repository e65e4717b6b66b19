package dev.llmix.reliability;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;

/**
 * Runs one hostile input against the library and judges the outcome: it must finish within a time limit (no hang),
 * and either succeed or fail with one of the exception types allowed for that input class. Anything else — a
 * {@code NullPointerException}, {@code ClassCastException}, {@code StackOverflowError}, {@code OutOfMemoryError} from
 * inside the library, or a wrong LLMix type — fails the test with the full stack trace.
 */
final class Hostile {

    /** One worker thread with a large stack is not needed: a StackOverflowError must be reported, not avoided. */
    private static final ExecutorService WORKER = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "hostile-input");
        t.setDaemon(true);
        return t;
    });

    private Hostile() {
    }

    /** The outcome of one run: the value, or the exception thrown. */
    record Outcome(@Nullable Object value, @Nullable Throwable error) {
        boolean failed() {
            return error != null;
        }
    }

    /**
     * Runs {@code body} with a time limit and requires success or one of {@code allowed}; returns the outcome.
     *
     * @param what describes the input (used in the failure message, with the stack trace)
     */
    @SafeVarargs
    static Outcome expectTyped(String what, long timeoutMillis, Callable<?> body,
            Class<? extends Throwable>... allowed) {
        Outcome o = run(what, timeoutMillis, body);
        Throwable e = o.error();
        if (e != null && !isAllowed(e, allowed)) {
            throw new AssertionError(printable(what) + ": expected success or one of " + names(allowed) + " but got "
                    + e.getClass().getName() + "\n" + stackTrace(e), e);
        }
        if (e != null && (e.getMessage() == null || e.getMessage().isBlank())) {
            throw new AssertionError(what + ": " + e.getClass().getName() + " without a message", e);
        }
        return o;
    }

    /** As {@link #expectTyped}, but success is also a failure. */
    @SafeVarargs
    static Throwable expectRejected(String what, long timeoutMillis, Callable<?> body,
            Class<? extends Throwable>... allowed) {
        Outcome o = expectTyped(what, timeoutMillis, body, allowed);
        if (o.error() == null) {
            throw new AssertionError(what + ": expected one of " + names(allowed) + " but it was accepted: "
                    + o.value());
        }
        return o.error();
    }

    static Outcome run(String what, long timeoutMillis, Callable<?> body) {
        Future<?> f = WORKER.submit(body);
        try {
            return new Outcome(f.get(timeoutMillis, TimeUnit.MILLISECONDS), null);
        } catch (ExecutionException e) {
            return new Outcome(null, e.getCause() == null ? e : e.getCause());
        } catch (TimeoutException e) {
            f.cancel(true);
            throw new AssertionError(what + ": no answer within " + timeoutMillis + " ms (hang?)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(what + ": interrupted", e);
        }
    }

    /** Escapes everything outside printable ASCII so reports are not cut at a NUL or a lone surrogate. */
    static String printable(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if ((c >= 0x20 && c < 0x7f) || c == '\n' || c == '\t') {
                sb.append(c);
            } else {
                sb.append(String.format("\\u%04x", (int) c));
            }
        }
        return sb.toString();
    }

    private static boolean isAllowed(Throwable e, Class<? extends Throwable>[] allowed) {
        for (Class<? extends Throwable> c : allowed) {
            if (c.isInstance(e)) {
                return true;
            }
        }
        return false;
    }

    private static List<String> names(Class<?>[] types) {
        return Arrays.stream(types).map(Class::getSimpleName).toList();
    }

    static String stackTrace(Throwable e) {
        StringWriter w = new StringWriter();
        e.printStackTrace(new PrintWriter(w));
        String s = printable(w.toString());
        return s.length() > 6000 ? s.substring(0, 6000) + "\n..." : s;
    }
}
