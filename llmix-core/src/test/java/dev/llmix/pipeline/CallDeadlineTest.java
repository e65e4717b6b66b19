package dev.llmix.pipeline;

import dev.llmix.spi.CallInput;
import dev.llmix.spi.LlmUsage;
import dev.llmix.spi.ProviderResult;
import static org.assertj.core.api.Assertions.assertThat;

import dev.llmix.config.TimeoutConfig;
import dev.llmix.resilience.KillSwitch;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The call's budget and the kill switch are honoured up to the moment of dispatch, not only when the call starts:
 * a call never reaches the provider after its budget ran out or after the switch was engaged.
 */
class CallDeadlineTest extends PipelineTestSupport {

    private static CallInput ask(String id, double totalTimeSeconds) {
        return CallInput.of(config().timeout(new TimeoutConfig(totalTimeSeconds, null)).build(),
                List.of(Map.of("role", "user", "content", id)));
    }

    @Test
    void callWhoseBudgetRunsOutWhileQueuedForAPermitFailsWithoutDispatching() throws Exception {
        List<String> dispatched = new CopyOnWriteArrayList<>();
        CompletableFuture<ProviderResult> holder = new CompletableFuture<>();
        CallPipeline p = pipeline(options().semaphoreInitial(1).semaphoreMin(1), ctx -> {
            dispatched.add(String.valueOf(((Map<?, ?>) ctx.messages().get(0)).get("content")));
            return holder;
        });

        CompletableFuture<CallResponse> first = p.callAsync(ask("first", 5));
        CallResponse queued = p.callAsync(ask("queued", 0.1)).get(5, TimeUnit.SECONDS);

        assertThat(queued.success()).isFalse();
        assertThat(queued.error())
                .isEqualTo("LLM call timed out after 0.1 s (timeout.totalTime) waiting for a concurrency permit");
        assertThat(dispatched).containsExactly("first");
        assertThat(p.snapshot().semaphores().get("openai"))
                .satisfies(s -> assertThat(s.waiters()).isZero());

        holder.complete(ProviderResult.of("done", "gpt-4", LlmUsage.of(1, 1, 2)));
        assertThat(first.get(5, TimeUnit.SECONDS).success()).isTrue();
        assertThat(p.snapshot().semaphores().get("openai"))
                .satisfies(s -> assertThat(s.inFlight()).isZero());
    }

    @Test
    void permitTimeoutIsLocalAndLeavesTheBreakerClosed() throws Exception {
        CompletableFuture<ProviderResult> holder = new CompletableFuture<>();
        CallPipeline p = pipeline(options().semaphoreInitial(1).semaphoreMin(1).circuitBreakerThreshold(1),
                ctx -> holder);

        p.callAsync(ask("first", 5));
        assertThat(p.callAsync(ask("queued", 0.05)).get(5, TimeUnit.SECONDS).success()).isFalse();

        assertThat(p.getCircuitBreakerState("openai", "")).isEqualTo("CLOSED");
        holder.complete(ProviderResult.of("done", "gpt-4", LlmUsage.of(1, 1, 2)));
    }

    @Test
    void killSwitchEngagedWhileACallWaitsForItsPermitStopsItBeforeDispatch() throws Exception {
        List<String> dispatched = new CopyOnWriteArrayList<>();
        CompletableFuture<ProviderResult> holder = new CompletableFuture<>();
        CountDownLatch firstDispatched = new CountDownLatch(1);
        CallPipeline p = pipeline(options().semaphoreInitial(1).semaphoreMin(1), ctx -> {
            dispatched.add(String.valueOf(((Map<?, ?>) ctx.messages().get(0)).get("content")));
            firstDispatched.countDown();
            return holder;
        });

        CompletableFuture<CallResponse> first = p.callAsync(ask("first", 5));
        assertThat(firstDispatched.await(5, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<CallResponse> waiting = p.callAsync(ask("waiting", 5));
        new KillSwitch(stateDir).engage("incident");
        holder.complete(ProviderResult.of("done", "gpt-4", LlmUsage.of(1, 1, 2)));

        CallResponse stopped = waiting.get(5, TimeUnit.SECONDS);
        assertThat(stopped.success()).isFalse();
        assertThat(stopped.error()).startsWith("Kill switch active: ");
        assertThat(dispatched).containsExactly("first");
        assertThat(first.get(5, TimeUnit.SECONDS).success()).isTrue();
        assertThat(p.getCircuitBreakerState("openai", "")).isEqualTo("CLOSED");
    }
}
