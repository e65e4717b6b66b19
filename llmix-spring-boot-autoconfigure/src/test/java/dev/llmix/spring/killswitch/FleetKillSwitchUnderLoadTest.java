package dev.llmix.spring.killswitch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmix.config.LlmConfig;
import dev.llmix.keys.KeyPool;
import dev.llmix.spi.CallInput;
import dev.llmix.pipeline.CallPipeline;
import dev.llmix.pipeline.CallResponse;
import dev.llmix.pipeline.PipelineConfig;
import dev.llmix.reliability.LoopbackProvider;
import dev.llmix.resilience.KillSwitch;
import dev.llmix.spring.redis.LlmixRedisConnections;
import dev.llmix.testsupport.RealRedis;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * The fleet kill switch under load: two "instances" (pipelines with their own state directories and fleet switches on
 * one real Redis), 32 callers each, calling a loopback HTTP provider. After {@code engage()} returns on instance A, no
 * call starting on A reaches dispatch, and no call starting on B more than one second later does; after
 * {@code release()} both serve again.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FleetKillSwitchUnderLoadTest {

    @RegisterExtension
    static final RealRedis REDIS = RealRedis.create();

    @TempDir
    Path stateA;
    @TempDir
    Path stateB;

    private final LoopbackProvider provider = new LoopbackProvider();
    private final List<AutoCloseable> closeables = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            closeables.get(i).close();
        }
        provider.close();
        REDIS.flushAll();
    }

    private FleetKillSwitch fleet(Path stateDir) {
        LettuceConnectionFactory factory = LlmixRedisConnections.startedConnectionFactory(REDIS.url());
        closeables.add(factory::destroy);
        FleetKillSwitch ks = new FleetKillSwitch(
                new RedisFleetKillSwitchStore(new StringRedisTemplate(factory), "llmix:killswitch"),
                () -> new KillSwitch(stateDir), Duration.ofMillis(250), RedisFailureMode.LAST_KNOWN,
                Clock.systemUTC());
        ks.start();
        closeables.add(ks);
        return ks;
    }

    private CallPipeline pipeline(Path stateDir, FleetKillSwitch gate) {
        CallPipeline p = new CallPipeline(PipelineConfig.builder()
                .maxRetries(0).retryBaseMs(1).retryMaxDelayMs(1).retryJitterMs(0)
                .killSwitchGate(gate).stateDir(stateDir).env(name -> null).build(), provider.dispatch());
        p.setKeyPool("openai", new KeyPool(List.of("sk-fleet-load")));
        closeables.add(p);
        return p;
    }

    /** One finished call: instance, id, when it started (nanos), and its response. */
    record Call(String instance, String id, long startNanos, CallResponse response) {
    }

    @Test
    void engagedOnOneInstanceUnderLoadStopsEveryCallStartingAfterwardsOnItAndWithinOneSecondOnTheOther()
            throws Exception {
        FleetKillSwitch a = fleet(stateA);
        FleetKillSwitch b = fleet(stateB);
        CallPipeline pa = pipeline(stateA, a);
        CallPipeline pb = pipeline(stateB, b);
        provider.hold(1);
        LlmConfig preset = provider.preset().build();

        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger seq = new AtomicInteger();
        Queue<Call> calls = new ConcurrentLinkedQueue<>();
        Queue<Throwable> escaped = new ConcurrentLinkedQueue<>();
        ExecutorService callers = Executors.newFixedThreadPool(64);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < 64; t++) {
            String instance = t % 2 == 0 ? "A" : "B";
            CallPipeline p = instance.equals("A") ? pa : pb;
            done.add(callers.submit(() -> {
                while (!stop.get()) {
                    String id = instance + "-" + seq.incrementAndGet();
                    long start = System.nanoTime();
                    try {
                        CallResponse r = p.call(CallInput.of(preset, LoopbackProvider.message(id)));
                        calls.add(new Call(instance, id, start, r));
                        if (!r.success()) {
                            Thread.sleep(1); // refusals are instant; keep the loop from spinning
                        }
                    } catch (Throwable e) {
                        escaped.add(e);
                    }
                }
            }));
        }
        TimeUnit.MILLISECONDS.sleep(500);
        a.engage("reliability: fleet engaged under load");
        long engaged = System.nanoTime();
        TimeUnit.MILLISECONDS.sleep(1_500);
        // Taken before release(): a call starting while release() runs may already be let through.
        long released = System.nanoTime();
        a.release();
        TimeUnit.MILLISECONDS.sleep(1_500);
        stop.set(true);
        for (Future<?> f : done) {
            f.get(20, TimeUnit.SECONDS);
        }
        callers.shutdown();

        assertThat(escaped).isEmpty();
        long oneSecond = TimeUnit.SECONDS.toNanos(1);
        long lastDispatchedOnB = Long.MIN_VALUE;
        int refusedA = 0;
        int refusedB = 0;
        for (Call c : calls) {
            boolean dispatched = provider.dispatchedIds.contains(c.id());
            boolean duringEngage = c.startNanos() >= engaged && c.startNanos() < released;
            if (c.instance().equals("A") && duringEngage) {
                assertThat(dispatched).as("A call %s started after engage() returned", c.id()).isFalse();
                assertThat(c.response().error()).startsWith("Kill switch active");
                refusedA++;
            }
            if (c.instance().equals("B") && duringEngage) {
                if (dispatched) {
                    lastDispatchedOnB = Math.max(lastDispatchedOnB, c.startNanos() - engaged);
                }
                if (c.startNanos() >= engaged + oneSecond) {
                    assertThat(dispatched).as("B call %s started > 1 s after engage()", c.id()).isFalse();
                    assertThat(c.response().error()).startsWith("Kill switch active");
                    refusedB++;
                }
            }
        }
        assertThat(refusedA).isPositive();
        assertThat(refusedB).isPositive();
        // After release both instances serve again (B within one poll interval and a half).
        long servedAfterRelease = calls.stream()
                .filter(c -> c.startNanos() >= released + oneSecond && c.response().success()).count();
        assertThat(servedAfterRelease).isPositive();
        assertThat(calls.stream().filter(c -> c.startNanos() >= released + oneSecond).allMatch(
                c -> c.response().success())).as("every call started > 1 s after release succeeds").isTrue();
        System.out.println("[reliability] fleet kill switch under load: " + calls.size() + " calls; last call on B "
                + "that still dispatched started " + (lastDispatchedOnB == Long.MIN_VALUE ? "never"
                : TimeUnit.NANOSECONDS.toMillis(lastDispatchedOnB) + " ms") + " after engage()");
    }
}
