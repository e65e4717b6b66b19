package dev.llmix.spring.testing;

import dev.llmix.spi.DispatchContext;
import dev.llmix.spi.DispatchFunction;
import dev.llmix.spi.LlmUsage;
import dev.llmix.spi.ProviderException;
import dev.llmix.spi.ProviderResult;
import dev.llmix.testsupport.ScriptedDispatch;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A scripted provider on the shared {@link ScriptedDispatch}: answers {@code "hello"} with usage 10/20 (5 cached)
 * until told to fail with a status; counts dispatches. Never sees the network.
 */
public final class ScriptedLlm implements DispatchFunction {

    /** The API keys used by the suite; no response, metric or log line may contain them. */
    public static final List<String> TEST_KEYS = List.of("sk-test-SECRETKEY0001-abcd", "sk-test-SECRETKEY0002-wxyz");

    private final AtomicReference<Integer> failWith = new AtomicReference<>();
    private final ScriptedDispatch script = new ScriptedDispatch((ctx, n) -> {
        Integer status = failWith.get();
        if (status != null) {
            return CompletableFuture.failedFuture(ProviderException.ofStatus(status, "HTTP " + status));
        }
        return CompletableFuture.completedFuture(ProviderResult.of("hello", "gpt-4-0613",
                new LlmUsage(10, 20, 30, 5L)));
    });

    @Override
    public CompletionStage<ProviderResult> dispatch(DispatchContext context) {
        return script.dispatch(context);
    }

    /** Fails every later dispatch with this HTTP status ({@code null}: succeed again). */
    public void failWith(Integer status) {
        failWith.set(status);
    }

    /** Succeeds again. */
    public void succeed() {
        failWith.set(null);
    }

    /** Dispatches so far. */
    public int dispatches() {
        return script.count();
    }
}
