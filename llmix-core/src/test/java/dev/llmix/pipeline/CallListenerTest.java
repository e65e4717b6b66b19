package dev.llmix.pipeline;

import dev.llmix.testsupport.ScriptedDispatch;
import dev.llmix.spi.CacheHitTier;
import dev.llmix.spi.CallEvent;
import dev.llmix.spi.CallInput;
import dev.llmix.spi.CallListener;
import dev.llmix.spi.CallOutcome;
import dev.llmix.spi.KillSwitchGate;
import dev.llmix.spi.LlmUsage;
import dev.llmix.spi.ProviderException;
import static org.assertj.core.api.Assertions.assertThat;

import dev.llmix.cache.TwoTierCache;
import dev.llmix.config.CachingStrategy;
import dev.llmix.resilience.KillSwitchActiveException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/** The {@link CallListener} and {@link KillSwitchGate} hooks of {@link PipelineConfig}. */
class CallListenerTest extends PipelineTestSupport {

    /** Records every event with the context its start returned. */
    static final class Recorder implements CallListener {
        final List<CallEvent> events = new CopyOnWriteArrayList<>();
        final List<@Nullable Object> contexts = new CopyOnWriteArrayList<>();
        final List<CallInput> started = new CopyOnWriteArrayList<>();

        @Override
        public Object callStarted(CallInput input) {
            started.add(input);
            return "ctx-" + started.size();
        }

        @Override
        public void callFinished(CallEvent event, @Nullable Object context) {
            events.add(event);
            contexts.add(context);
        }
    }

    @Test
    void listenerSeesSuccessWithUsageDurationAndStartContext() {
        AtomicLong now = new AtomicLong(1_000);
        Recorder rec = new Recorder();
        CallPipeline p = pipeline(options().callListener(rec).nanoClock(() -> now.getAndAdd(5)),
                ScriptedDispatch.ok("hello"));

        CallResponse r = p.call(input());

        assertThat(r.success()).isTrue();
        assertThat(rec.events).singleElement().satisfies(e -> {
            assertThat(e.outcome()).isEqualTo(CallOutcome.SUCCESS);
            assertThat(e.provider()).isEqualTo("openai");
            assertThat(e.model()).isEqualTo("gpt-4");
            assertThat(e.usage()).isEqualTo(LlmUsage.of(10, 20, 30));
            assertThat(e.cacheHit()).isNull();
            assertThat(e.cacheLookedUp()).isFalse();
            assertThat(e.error()).isNull();
            assertThat(e.durationNanos()).isPositive();
        });
        assertThat(rec.contexts).containsExactly("ctx-1");
    }

    @Test
    void killSwitchFileIsReportedAsKillSwitchOutcome() {
        Recorder rec = new Recorder();
        ScriptedDispatch dispatch = ScriptedDispatch.ok("hello");
        CallPipeline p = pipeline(options().callListener(rec), dispatch);
        p.killSwitch().engage("test");

        CallResponse r = p.call(input());

        assertThat(r.success()).isFalse();
        assertThat(dispatch.count()).isZero();
        assertThat(rec.events).singleElement().satisfies(e -> {
            assertThat(e.outcome()).isEqualTo(CallOutcome.KILL_SWITCH);
            assertThat(e.error()).isInstanceOf(KillSwitchActiveException.class);
            assertThat(e.cacheLookedUp()).isFalse();
        });
    }

    @Test
    void gateRefusesCallsWhileEngagedAndDispatchesNothing() {
        AtomicBoolean engaged = new AtomicBoolean(true);
        Recorder rec = new Recorder();
        ScriptedDispatch dispatch = ScriptedDispatch.ok("hello");
        CallPipeline p = pipeline(options().callListener(rec).killSwitchGate(() -> {
            if (engaged.get()) {
                throw new KillSwitchActiveException(stateDir.resolve("fleet"));
            }
        }), dispatch);

        CallResponse refused = p.call(input());
        CallResponse refusedAsync = p.callAsync(input()).join();
        engaged.set(false);
        CallResponse allowed = p.call(input());

        assertThat(refused.success()).isFalse();
        assertThat(refused.error()).startsWith("Kill switch active");
        assertThat(refusedAsync.success()).isFalse();
        assertThat(allowed.success()).isTrue();
        assertThat(dispatch.count()).isEqualTo(1);
        assertThat(rec.events).extracting(CallEvent::outcome)
                .containsExactly(CallOutcome.KILL_SWITCH, CallOutcome.KILL_SWITCH, CallOutcome.SUCCESS);
    }

    @Test
    void openBreakerIsReportedAsCircuitOpenOutcome() {
        Recorder rec = new Recorder();
        CallPipeline p = pipeline(options().callListener(rec).circuitBreakerThreshold(1),
                ScriptedDispatch.failing(ScriptedDispatch.status(503)));

        p.call(input());
        p.call(input());

        assertThat(rec.events).extracting(CallEvent::outcome)
                .containsExactly(CallOutcome.FAILURE, CallOutcome.CIRCUIT_OPEN);
        assertThat(rec.events.get(0).error()).isInstanceOf(ProviderException.class);
    }

    @Test
    void cacheHitsCarryTheirTier() {
        Recorder rec = new Recorder();
        TwoTierCache cache = TwoTierCache.builder().build();
        CallPipeline p = pipeline(options().callListener(rec).responseCache(cache), ScriptedDispatch.ok("hello"));
        CallInput in = input(config().caching(CachingStrategy.MEMORY).build());

        p.call(in);
        p.callAsync(in).join();

        assertThat(rec.events).extracting(CallEvent::cacheHit).containsExactly(null, CacheHitTier.L1);
        assertThat(rec.events).extracting(CallEvent::cacheLookedUp).containsExactly(true, true);
        assertThat(rec.events.get(1).usage()).isEqualTo(LlmUsage.ZERO);
    }

    @Test
    void asyncCallsAreReportedOnce() {
        Recorder rec = new Recorder();
        CallPipeline p = pipeline(options().callListener(rec), ScriptedDispatch.ok("hello"));

        p.callAsync(input()).join();

        assertThat(rec.events).hasSize(1);
        assertThat(rec.started).hasSize(1);
    }

    @Test
    void throwingListenerNeverAffectsTheCall() {
        CallListener broken = new CallListener() {
            @Override
            public Object callStarted(CallInput input) {
                throw new IllegalStateException("start");
            }

            @Override
            public void callFinished(CallEvent event, @Nullable Object context) {
                throw new IllegalStateException("finish");
            }
        };
        CallPipeline p = pipeline(options().callListener(broken), ScriptedDispatch.ok("hello"));

        assertThat(p.call(input()).success()).isTrue();
        assertThat(p.callAsync(input()).join().success()).isTrue();
    }

    @Test
    void outcomesHaveLowerCaseTagValues() {
        assertThat(CallOutcome.values()).extracting(CallOutcome::tagValue)
                .containsExactly("success", "failure", "kill_switch", "circuit_open", "cancelled");
    }
}
