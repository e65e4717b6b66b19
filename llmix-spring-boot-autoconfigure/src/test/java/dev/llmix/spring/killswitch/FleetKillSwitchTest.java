package dev.llmix.spring.killswitch;

import static dev.llmix.spring.testing.TestPipelines.UNCACHED;
import static dev.llmix.spring.testing.TestPipelines.input;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmix.pipeline.CallPipeline;
import dev.llmix.pipeline.CallResponse;
import dev.llmix.resilience.KillSwitch;
import dev.llmix.spring.testing.LeakScanner;
import dev.llmix.spring.testing.ScriptedLlm;
import dev.llmix.spring.testing.TestPipelines;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The fleet kill switch over an in-memory store, with the poller driven by hand. */
@ExtendWith(LeakScanner.class)
class FleetKillSwitchTest {

    /** A shared key that can be made unreachable. */
    static final class FakeStore implements FleetKillSwitchStore {
        final AtomicReference<@Nullable String> value = new AtomicReference<>();
        final AtomicBoolean down = new AtomicBoolean();

        @Override
        public @Nullable String read() {
            if (down.get()) {
                throw new IllegalStateException("connection refused");
            }
            return value.get();
        }

        @Override
        public void write(String document) {
            if (down.get()) {
                throw new IllegalStateException("connection refused");
            }
            value.set(document);
        }

        @Override
        public void delete() {
            value.set(null);
        }

        @Override
        public String describe() {
            return "fake key";
        }
    }

    private static final Instant NOW = Instant.parse("2025-01-02T03:04:05.678Z");

    @TempDir
    Path stateDir;

    private final FakeStore store = new FakeStore();

    private FleetKillSwitch fleet(RedisFailureMode mode) {
        KillSwitch file = new KillSwitch(stateDir);
        return new FleetKillSwitch(store, () -> file, Duration.ofMillis(100), mode, Clock.fixed(NOW, ZoneOffset.UTC));
    }

    @Test
    void engageWritesJsonWithReasonAndSinceAndBlocksAtOnce() {
        FleetKillSwitch ks = fleet(RedisFailureMode.LAST_KNOWN);

        ks.engage("incident\n42");

        assertThat(store.value.get()).isEqualTo("{\"reason\":\"incident 42\",\"since\":\"2025-01-02T03:04:05.678Z\"}");
        assertThat(ks.state()).isEqualTo(new KillSwitchState(true, KillSwitchScope.FLEET,
                stateDir.resolve("killswitch"), "incident 42", NOW));
        assertThatThrownBy(ks::check).isInstanceOf(FleetKillSwitchActiveException.class)
                .hasMessage("Kill switch active: the fleet-wide switch (fake key) is engaged. All LLMix calls are "
                        + "blocked.");
    }

    @Test
    void anotherInstancesEngageIsSeenAtTheNextPoll() {
        FleetKillSwitch other = fleet(RedisFailureMode.LAST_KNOWN);
        FleetKillSwitch ks = fleet(RedisFailureMode.LAST_KNOWN);
        ks.poll();

        other.engage("from elsewhere");
        ks.check();
        ks.poll();

        assertThat(ks.fleetEngaged()).isTrue();
        assertThat(ks.state().reason()).isEqualTo("from elsewhere");
        other.release();
        ks.poll();
        ks.check();
        assertThat(ks.state().active()).isFalse();
    }

    @Test
    void anyValueEngagesEvenWithoutOurJson() {
        FleetKillSwitch ks = fleet(RedisFailureMode.LAST_KNOWN);
        store.value.set("1");

        ks.poll();

        assertThat(ks.state()).isEqualTo(new KillSwitchState(true, KillSwitchScope.FLEET,
                stateDir.resolve("killswitch"), null, null));
    }

    @Test
    void theLocalFileStillBlocksAndReleaseRemovesBoth() {
        FleetKillSwitch ks = fleet(RedisFailureMode.LAST_KNOWN);
        new KillSwitch(stateDir).engage("local only");

        assertThat(ks.state().active()).isTrue();
        assertThat(ks.state().reason()).isEqualTo("local only");

        ks.engage("fleet");
        ks.release();

        assertThat(store.value.get()).isNull();
        assertThat(new KillSwitch(stateDir).isActive()).isFalse();
        assertThat(ks.state().active()).isFalse();
    }

    @Test
    void unreachableStoreKeepsTheLastKnownStateByDefault() {
        FleetKillSwitch ks = fleet(RedisFailureMode.LAST_KNOWN);
        ks.engage("x");
        store.down.set(true);

        ks.poll();

        assertThat(ks.storeReachable()).isFalse();
        assertThat(ks.fleetEngaged()).isTrue();
        store.down.set(false);
        store.value.set(null);
        ks.poll();
        assertThat(ks.storeReachable()).isTrue();
        assertThat(ks.fleetEngaged()).isFalse();
        assertThat(LeakScanner.logs()).anyMatch(l -> l.contains("cannot read fake key (IllegalStateException)"))
                .anyMatch(l -> l.contains("fake key is readable again"));
    }

    @Test
    void unreachableStoreAllowsOrBlocksWhenConfigured() {
        FleetKillSwitch allow = fleet(RedisFailureMode.ALLOW);
        FleetKillSwitch block = fleet(RedisFailureMode.BLOCK);
        store.value.set("{\"reason\":\"r\"}");
        allow.poll();
        block.poll();
        store.down.set(true);

        allow.poll();
        block.poll();

        assertThat(allow.fleetEngaged()).isFalse();
        assertThat(block.fleetEngaged()).isTrue();
        assertThatThrownBy(block::check).hasMessageContaining("cannot be read and is assumed engaged");
    }

    @Test
    void pollIntervalAbove500MsIsRejected() {
        assertThatThrownBy(() -> new FleetKillSwitch(store, () -> new KillSwitch(stateDir), Duration.ofSeconds(1),
                RedisFailureMode.LAST_KNOWN, Clock.systemUTC()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("llmix.kill-switch.fleet.poll-interval must be > 0 and <= 500ms, got PT1S");
    }

    @Test
    void pipelineConsultsTheGateOnEveryCall() {
        ScriptedLlm llm = new ScriptedLlm();
        FleetKillSwitch ks = fleet(RedisFailureMode.LAST_KNOWN);
        CallPipeline p = TestPipelines.pipeline(stateDir, llm, null, ks);
        try {
            ks.engage("stop");
            CallResponse refused = p.call(input(UNCACHED, "a"));
            ks.release();
            CallResponse allowed = p.call(input(UNCACHED, "a"));

            assertThat(refused.success()).isFalse();
            assertThat(refused.error()).startsWith("Kill switch active: the fleet-wide switch");
            assertThat(allowed.success()).isTrue();
            assertThat(llm.dispatches()).isEqualTo(1);
        } finally {
            p.close();
        }
    }
}
