package dev.llmix.testsupport;

import dev.llmix.spi.DispatchContext;
import dev.llmix.spi.DispatchFunction;
import dev.llmix.spi.LlmUsage;
import dev.llmix.spi.ProviderException;
import dev.llmix.spi.ProviderResult;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * The one scripted {@link DispatchFunction} of the test suites: each invocation runs a {@link Step} (or one of the
 * factories below) and every context it receives is recorded. Never touches the network.
 */
public final class ScriptedDispatch implements DispatchFunction {

    /** What one invocation does. */
    @FunctionalInterface
    public interface Step {
        CompletionStage<ProviderResult> apply(DispatchContext ctx, int invocation) throws Exception;
    }

    /** Every context received, in order. */
    public final List<DispatchContext> contexts = new CopyOnWriteArrayList<>();
    private final AtomicInteger invocations = new AtomicInteger();
    private final Step step;

    /** A dispatcher that runs {@code step} on every invocation (numbered from 0). */
    public ScriptedDispatch(Step step) {
        this.step = step;
    }

    @Override
    public CompletionStage<ProviderResult> dispatch(DispatchContext ctx) {
        int n = invocations.getAndIncrement();
        contexts.add(ctx);
        try {
            return step.apply(ctx, n);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Invocations so far. */
    public int count() {
        return invocations.get();
    }

    /** The API key of every invocation, in order. */
    public List<String> keysSeen() {
        List<String> keys = new ArrayList<>();
        contexts.forEach(c -> keys.add(c.apiKey()));
        return keys;
    }

    /** The kwargs of the last invocation. */
    public Map<String, ?> lastKwargs() {
        return contexts.get(contexts.size() - 1).kwargs();
    }

    // --- factories ---

    public static ProviderResult result(String content) {
        return ProviderResult.of(content, "gpt-4", LlmUsage.of(10, 20, 30));
    }

    public static ProviderException status(int code) {
        return ProviderException.ofStatus(code, "HTTP " + code + " from provider");
    }

    /** Always succeeds with {@code content}. */
    public static ScriptedDispatch ok(String content) {
        return new ScriptedDispatch((ctx, n) -> CompletableFuture.completedFuture(result(content)));
    }

    /** Always fails with {@code error} (as a failed stage). */
    public static ScriptedDispatch failing(Throwable error) {
        return new ScriptedDispatch((ctx, n) -> CompletableFuture.failedFuture(error));
    }

    /**
     * Plays the outcomes in order, one per invocation, repeating the last: a {@link ProviderResult} or a
     * {@code String} succeeds, a {@link Throwable} fails the stage.
     */
    public static ScriptedDispatch sequence(Object... outcomes) {
        List<Object> script = Arrays.asList(outcomes);
        return new ScriptedDispatch((ctx, n) -> {
            Object o = script.get(Math.min(n, script.size() - 1));
            if (o instanceof Throwable t) {
                return CompletableFuture.failedFuture(t);
            }
            return CompletableFuture.completedFuture(o instanceof ProviderResult r ? r : result((String) o));
        });
    }

    /** Succeeds with {@code content} after {@code millis} of real time. */
    public static ScriptedDispatch delayed(long millis, Function<DispatchContext, String> content) {
        return new ScriptedDispatch((ctx, n) -> CompletableFuture.supplyAsync(() -> result(content.apply(ctx)),
                CompletableFuture.delayedExecutor(millis, TimeUnit.MILLISECONDS)));
    }
}
