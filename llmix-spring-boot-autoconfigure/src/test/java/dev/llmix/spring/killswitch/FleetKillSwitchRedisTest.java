package dev.llmix.spring.killswitch;

import static dev.llmix.spring.testing.TestPipelines.UNCACHED;
import static dev.llmix.spring.testing.TestPipelines.input;
import static org.assertj.core.api.Assertions.assertThat;

import dev.llmix.pipeline.CallPipeline;
import dev.llmix.spring.redis.LlmixRedisConnections;
import dev.llmix.spring.testing.LeakScanner;
import dev.llmix.spring.testing.ScriptedLlm;
import dev.llmix.spring.testing.TestPipelines;
import dev.llmix.testsupport.RealRedis;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/** Two pipelines (two "instances") sharing one real Redis through their fleet kill switches. */
@ExtendWith(LeakScanner.class)
class FleetKillSwitchRedisTest {

    @RegisterExtension
    static final RealRedis REDIS = RealRedis.create();

    @TempDir
    Path stateA;
    @TempDir
    Path stateB;

    private final List<AutoCloseable> closeables = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            closeables.get(i).close();
        }
        REDIS.flushAll();
    }

    private FleetKillSwitch fleet(Path stateDir, RedisFailureMode mode) {
        LettuceConnectionFactory factory = LlmixRedisConnections.startedConnectionFactory(REDIS.url());
        closeables.add(factory::destroy);
        FleetKillSwitch ks = new FleetKillSwitch(
                new RedisFleetKillSwitchStore(new StringRedisTemplate(factory), "llmix:killswitch"),
                () -> new dev.llmix.resilience.KillSwitch(stateDir), Duration.ofMillis(250), mode, Clock.systemUTC());
        ks.start();
        closeables.add(ks);
        return ks;
    }

    private CallPipeline pipeline(Path stateDir, FleetKillSwitch ks, ScriptedLlm llm) {
        CallPipeline p = TestPipelines.pipeline(stateDir, llm, null, ks);
        closeables.add(p);
        return p;
    }

    /** Polls {@code condition} for up to {@code limit}; returns the time it took, or fails. */
    private static Duration within(Duration limit, BooleanSupplier condition) throws InterruptedException {
        long start = System.nanoTime();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - start > limit.toNanos()) {
                throw new AssertionError("not within " + limit);
            }
            Thread.sleep(20);
        }
        return Duration.ofNanos(System.nanoTime() - start);
    }

    @Test
    void engagingOnOneInstanceStopsBothWithinOneSecondAndReleasingResumesBoth() throws Exception {
        ScriptedLlm llmA = new ScriptedLlm();
        ScriptedLlm llmB = new ScriptedLlm();
        FleetKillSwitch a = fleet(stateA, RedisFailureMode.LAST_KNOWN);
        FleetKillSwitch b = fleet(stateB, RedisFailureMode.LAST_KNOWN);
        CallPipeline pa = pipeline(stateA, a, llmA);
        CallPipeline pb = pipeline(stateB, b, llmB);
        assertThat(pb.call(input(UNCACHED, "x")).success()).isTrue();

        a.engage("incident 7");

        assertThat(pa.call(input(UNCACHED, "x")).success()).isFalse();
        within(Duration.ofSeconds(1), () -> !pb.call(input(UNCACHED, "x")).success());
        assertThat(b.state().reason()).isEqualTo("incident 7");
        assertThat(REDIS.command("GET", "llmix:killswitch")).asString().contains("\"reason\":\"incident 7\"");
        int dispatchedB = llmB.dispatches();
        assertThat(pb.call(input(UNCACHED, "y")).error()).startsWith("Kill switch active");
        assertThat(llmB.dispatches()).isEqualTo(dispatchedB);

        a.release();

        assertThat(pa.call(input(UNCACHED, "x")).success()).isTrue();
        within(Duration.ofSeconds(1), () -> pb.call(input(UNCACHED, "x")).success());
    }

    @Test
    void aKeySetByHandStopsTheFleet() throws Exception {
        FleetKillSwitch a = fleet(stateA, RedisFailureMode.LAST_KNOWN);

        REDIS.command("SET", "llmix:killswitch", "1");

        within(Duration.ofSeconds(1), a::fleetEngaged);
        REDIS.command("DEL", "llmix:killswitch");
        within(Duration.ofSeconds(1), () -> !a.fleetEngaged());
    }

    @Test
    void redisOutageFollowsTheFailureMode() throws Exception {
        FleetKillSwitch lastKnown = fleet(stateA, RedisFailureMode.LAST_KNOWN);
        FleetKillSwitch block = fleet(stateB, RedisFailureMode.BLOCK);
        lastKnown.engage("before the outage");
        within(Duration.ofSeconds(1), block::fleetEngaged);
        lastKnown.release();
        within(Duration.ofSeconds(1), () -> !block.fleetEngaged());

        REDIS.kill();
        try {
            within(Duration.ofSeconds(5), () -> !block.storeReachable());
            assertThat(block.fleetEngaged()).isTrue();
            assertThat(lastKnown.fleetEngaged()).isFalse();
        } finally {
            REDIS.restart();
        }
        within(Duration.ofSeconds(10), () -> block.storeReachable() && !block.fleetEngaged());
    }
}
