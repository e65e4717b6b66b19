package dev.llmix.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmix.cache.TwoTierCache;
import dev.llmix.config.CachingStrategy;
import dev.llmix.config.LlmConfig;
import dev.llmix.keys.KeyPool;
import dev.llmix.pipeline.CallAttempt;
import dev.llmix.pipeline.CallFailureType;
import dev.llmix.pipeline.CallPipeline;
import dev.llmix.pipeline.CallResponse;
import dev.llmix.pipeline.CompositeCallListener;
import dev.llmix.spi.CacheHitTier;
import dev.llmix.spi.CallEvent;
import dev.llmix.spi.CallListener;
import dev.llmix.spi.FallbackEvent;
import dev.llmix.testsupport.PipelineFixtures;
import dev.llmix.testsupport.ScriptedDispatch;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Fallback chains through a real pipeline with a scripted dispatch per provider (docs/providers.md). */
class FallbackChainTest {

    @TempDir
    Path stateDir;

    private final LlmConfig reply = LlmConfig.builder("openai", "gpt-4o-mini").caching(CachingStrategy.MEMORY)
            .build();
    private final FallbackChains chains = FallbackChains.of(Map.of("chat/reply",
            List.of(FallbackAlternative.of("anthropic", "claude-haiku-4-5"))));
    private final List<FallbackEvent> fallbacks = new CopyOnWriteArrayList<>();
    private final List<String> finished = new CopyOnWriteArrayList<>();
    private @Nullable CallPipeline pipeline;

    @AfterEach
    void close() {
        if (pipeline != null) {
            pipeline.close();
        }
    }

    /** openai answers with {@code openai}, anthropic with {@code anthropic}, unless {@code openai} is given. */
    private LlmixClient client(@Nullable Throwable openaiFailure, CallListener... extra) {
        ScriptedDispatch dispatch = new ScriptedDispatch((ctx, n) -> {
            if (ctx.provider().equals("openai") && openaiFailure != null) {
                return CompletableFuture.failedFuture(openaiFailure);
            }
            return CompletableFuture.completedFuture(ScriptedDispatch.result(ctx.provider()));
        });
        CallListener recorder = new CallListener() {
            @Override
            public void callFinished(CallEvent event, @Nullable Object context) {
                finished.add(event.provider() + ":" + event.outcome().tagValue());
            }

            @Override
            public void fallback(FallbackEvent event) {
                fallbacks.add(event);
            }
        };
        List<CallListener> listeners = new java.util.ArrayList<>(List.of(extra));
        listeners.add(recorder);
        pipeline = new CallPipeline(PipelineFixtures.deterministic(stateDir)
                .circuitBreakerThreshold(2)
                .callListener(CompositeCallListener.of(listeners))
                .responseCache(TwoTierCache.builder().strategy(CachingStrategy.MEMORY).build())
                .build(), dispatch);
        pipeline.setKeyPool("openai", new KeyPool(List.of("sk-openai-1")));
        pipeline.setKeyPool("anthropic", new KeyPool(List.of("sk-ant-1")));
        return new LlmixClient(pipeline, (module, preset) -> reply, chains);
    }

    @Test
    void primaryRetryableFailureIsAnsweredByTheAlternative() {
        LlmixClient client = client(ScriptedDispatch.status(503));

        CallResponse r = client.call("chat", "reply", List.of(Message.user("hi")));

        assertThat(r.success()).isTrue();
        assertThat(r.content()).isEqualTo("anthropic");
        assertThat(r.provider()).isEqualTo("anthropic");
        assertThat(r.answeredByFallback()).isTrue();
        assertThat(r.attempts()).extracting(CallAttempt::provider, CallAttempt::outcome).containsExactly(
                org.assertj.core.groups.Tuple.tuple("openai", "provider_error"),
                org.assertj.core.groups.Tuple.tuple("anthropic", "success"));
        assertThat(fallbacks).singleElement().satisfies(e -> {
            assertThat(e.fromProvider()).isEqualTo("openai");
            assertThat(e.toProvider()).isEqualTo("anthropic");
            assertThat(e.toModel()).isEqualTo("claude-haiku-4-5");
            assertThat(e.reason()).isEqualTo("provider_error");
        });
    }

    @Test
    void openBreakerMovesOnWithoutAskingThePrimary() {
        LlmixClient client = client(ScriptedDispatch.status(503));
        client.call("chat", "reply", List.of(Message.user("a")));
        client.call("chat", "reply", List.of(Message.user("b")));

        CallResponse r = client.call("chat", "reply", List.of(Message.user("c")));

        assertThat(pipeline.getCircuitBreakerState("openai", "")).isEqualTo("OPEN");
        assertThat(r.content()).isEqualTo("anthropic");
        assertThat(r.attempts().get(0).failure()).isEqualTo(CallFailureType.CIRCUIT_OPEN);
    }

    @Test
    void clientErrorDoesNotFallBack() {
        LlmixClient client = client(ScriptedDispatch.status(400));

        CallResponse r = client.call("chat", "reply", List.of(Message.user("hi")));

        assertThat(r.success()).isFalse();
        assertThat(r.provider()).isEqualTo("openai");
        assertThat(r.attempts()).extracting(CallAttempt::provider).containsExactly("openai");
        assertThat(fallbacks).isEmpty();
        assertThat(finished).containsExactly("openai:failure");
    }

    @Test
    void killSwitchDoesNotFallBack() {
        LlmixClient client = client(null);
        pipeline.killSwitch().engage("test");

        CallResponse r = client.call("chat", "reply", List.of(Message.user("hi")));

        assertThat(r.failure()).hasValueSatisfying(f -> assertThat(f.type()).isEqualTo(CallFailureType.KILL_SWITCH));
        assertThat(fallbacks).isEmpty();
    }

    @Test
    void eachAlternativeReadsAndWritesItsOwnCacheKeyAndAHitEndsTheChain() {
        LlmixClient client = client(ScriptedDispatch.status(503));
        client.call("chat", "reply", List.of(Message.user("same")));

        CallResponse again = client.call("chat", "reply", List.of(Message.user("same")));

        assertThat(again.content()).isEqualTo("anthropic");
        assertThat(again.cacheHit()).isEqualTo(CacheHitTier.L1);
        assertThat(again.attempts()).extracting(CallAttempt::provider, CallAttempt::outcome).containsExactly(
                org.assertj.core.groups.Tuple.tuple("openai", "provider_error"),
                org.assertj.core.groups.Tuple.tuple("anthropic", "cache_hit"));
    }

    @Test
    void asyncCallsFollowTheSameChain() {
        LlmixClient client = client(ScriptedDispatch.status(503));

        CallResponse r = client.callAsync("chat", "reply", List.of(Message.user("hi"))).join();

        assertThat(r.content()).isEqualTo("anthropic");
        assertThat(r.attempts()).hasSize(2);
    }

    @Test
    void primarySuccessAddsNothing() {
        LlmixClient client = client(null);

        CallResponse r = client.call("chat", "reply", List.of(Message.user("hi")));

        assertThat(r.content()).isEqualTo("openai");
        assertThat(r.attempts()).isEmpty();
        assertThat(fallbacks).isEmpty();
    }

    @Test
    void failingListenerDoesNotBreakTheCallOrOtherListeners() {
        CallListener broken = new CallListener() {
            @Override
            public @Nullable Object callStarted(dev.llmix.spi.CallInput input) {
                throw new IllegalStateException("broken start");
            }

            @Override
            public void callFinished(CallEvent event, @Nullable Object context) {
                throw new IllegalStateException("broken finish");
            }

            @Override
            public void fallback(FallbackEvent event) {
                throw new IllegalStateException("broken fallback");
            }
        };
        LlmixClient client = client(ScriptedDispatch.status(503), broken);

        CallResponse r = client.call("chat", "reply", List.of(Message.user("hi")));

        assertThat(r.content()).isEqualTo("anthropic");
        assertThat(finished).containsExactly("openai:failure", "anthropic:success");
        assertThat(fallbacks).hasSize(1);
    }

    @Test
    void unknownProviderIsRejectedWithADidYouMeanHint() {
        assertThatThrownBy(() -> FallbackChains.of(Map.of("chat/reply",
                List.of(FallbackAlternative.of("antropic", "claude-haiku-4-5")))))
                .isInstanceOf(InvalidFallbackChainException.class)
                .hasMessageContaining("unknown provider 'antropic'")
                .hasMessageContaining("did you mean 'anthropic'?");
    }

    @Test
    void emptyChainIsRejected() {
        assertThatThrownBy(() -> FallbackChains.of(Map.of("chat/reply", List.of())))
                .isInstanceOf(InvalidFallbackChainException.class)
                .hasMessageContaining("the chain is empty");
    }

    @Test
    void keyMustBeModuleSlashPreset() {
        assertThatThrownBy(() -> FallbackChains.of(Map.of("reply",
                List.of(FallbackAlternative.of("anthropic", "claude-haiku-4-5")))))
                .isInstanceOf(InvalidFallbackChainException.class)
                .hasMessageContaining("<module>/<preset>");
    }

    @Test
    void alternativeNeedsAModelBesideItsProvider() {
        assertThatThrownBy(() -> FallbackChains.of(Map.of("chat/reply",
                List.of(new FallbackAlternative("anthropic", null, null)))))
                .isInstanceOf(InvalidFallbackChainException.class)
                .hasMessageContaining("no model");
    }
}
