package dev.llmix.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmix.budget.RateBudgets;
import dev.llmix.budget.RateLimits;
import dev.llmix.config.LlmConfig;
import dev.llmix.config.TimeoutConfig;
import dev.llmix.keys.KeyPool;
import dev.llmix.pipeline.CallPipeline;
import dev.llmix.pipeline.CallResponse;
import dev.llmix.spi.CallInput;
import dev.llmix.spi.ProviderException;
import dev.llmix.testsupport.FleetClients;
import dev.llmix.testsupport.PipelineFixtures;
import dev.llmix.testsupport.RealRedis;
import dev.llmix.testsupport.ScriptedDispatch;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Two pipelines sharing breakers and key health through one real Redis, end to end through CallPipeline. */
class FleetPipelineTest {

    @RegisterExtension
    static final RealRedis REDIS = RealRedis.create();

    private static final LlmConfig CONFIG = LlmConfig.builder("openai", "gpt-4").build();
    private static final String K1 = "sk-fleet-k1-aaaaaaaaaaaaaaaa";
    private static final String K2 = "sk-fleet-k2-bbbbbbbbbbbbbbbb";

    @TempDir
    Path dirA;
    @TempDir
    Path dirB;

    private FleetClients fleet;
    private final List<CallPipeline> pipelines = new ArrayList<>();

    @BeforeEach
    void setUp() {
        REDIS.flushAll();
        fleet = new FleetClients(REDIS);
    }

    @AfterEach
    void tearDown() {
        pipelines.forEach(CallPipeline::close);
        fleet.close();
    }

    private CallPipeline pipeline(String id, Path dir, ScriptedDispatch dispatch) {
        return pipeline(id, dir, dispatch, true);
    }

    private CallPipeline pipeline(String id, Path dir, ScriptedDispatch dispatch, boolean breakersShared) {
        CallPipeline p = new CallPipeline(PipelineFixtures.deterministic(dir).circuitBreakerThreshold(1)
                .circuitBreakerCooldown(Duration.ofSeconds(30)).build(), dispatch);
        pipelines.add(p);
        p.setKeyPool("openai", new KeyPool(List.of(K1, K2)));
        FleetRuntime rt = fleet.startHealthy(FleetClients.quick(id).breakersShared(breakersShared).keysShared(true)
                .build());
        if (breakersShared) {
            FleetBreakers.attach(rt, p.circuitBreakers());
        }
        FleetKeys.attach(rt, p.keyPools());
        return p;
    }

    private static CallResponse call(CallPipeline p, String text) {
        return p.call(CallInput.of(CONFIG, List.of(Map.of("role", "user", "content", text))));
    }

    @Test
    void a503OnAOpensTheBreakerOnBWhichThenFailsFastWithoutDispatching() {
        CallPipeline a = pipeline("a", dirA, ScriptedDispatch.failing(ScriptedDispatch.status(503)));
        ScriptedDispatch bDispatch = ScriptedDispatch.ok("fine");
        CallPipeline b = pipeline("b", dirB, bDispatch);
        assertThat(call(a, "one").success()).isFalse();
        FleetClients.eventually(Duration.ofSeconds(1), () -> "OPEN".equals(b.getCircuitBreakerState("openai", "")),
                "B's breaker never opened");
        CallResponse r = call(b, "two");
        assertThat(r.success()).isFalse();
        assertThat(r.error()).contains("Circuit breaker OPEN for (openai, )");
        assertThat(bDispatch.count()).isZero();
    }

    @Test
    void a401OnARetiresTheKeyOnBWhichThenSendsTheOtherKey() {
        ScriptedDispatch aDispatch = new ScriptedDispatch((ctx, n) -> K1.equals(ctx.apiKey())
                ? CompletableFuture.failedFuture(ScriptedDispatch.status(401))
                : CompletableFuture.completedFuture(ScriptedDispatch.result("ok")));
        CallPipeline a = pipeline("a", dirA, aDispatch);
        ScriptedDispatch bDispatch = ScriptedDispatch.ok("fine");
        CallPipeline b = pipeline("b", dirB, bDispatch);
        call(a, "one");
        FleetClients.eventually(Duration.ofSeconds(1), () -> b.getKeyPool("openai").aliveCount() == 1,
                "B never retired k1");
        assertThat(call(b, "two").success()).isTrue();
        assertThat(bDispatch.keysSeen()).containsExactly(K2);
    }

    @Test
    void noCallFailsBecauseRedisIsDown() {
        ScriptedDispatch dispatch = ScriptedDispatch.ok("fine");
        CallPipeline a = pipeline("a", dirA, dispatch);
        REDIS.kill();
        for (int i = 0; i < 20; i++) {
            assertThat(call(a, "call " + i).success()).isTrue();
        }
        REDIS.restart();
        for (int i = 0; i < 20; i++) {
            assertThat(call(a, "after " + i).success()).isTrue();
        }
        assertThat(dispatch.count()).isEqualTo(40);
    }

    @Test
    void aFleetGrantDueInTheLastTenthOfTheCallsTimeFailsAtOnceWithoutDispatch() {
        // rpm 6 shared: capacity 1, one unit every 10 s. The first call takes the unit; the next is ~10 s away.
        FleetRuntime rt = fleet.startHealthy(FleetClients.quick("a").budgetsShared(true).build());
        FleetBudgets shared = FleetBudgets.attach(rt, FleetBudgetSettings.DEFAULTS, 0);
        ScriptedDispatch dispatch = ScriptedDispatch.ok("fine");
        CallPipeline p = new CallPipeline(PipelineFixtures.deterministic(dirA).rateBudgets(RateBudgets.builder()
                .provider("openai", RateLimits.rpm(6)).factory(shared.factory()).build()).build(), dispatch);
        pipelines.add(p);
        p.setKeyPool("openai", new KeyPool(List.of(K1)));
        assertThat(call(p, "first").success()).isTrue();

        // 10.5 s: the unit would come before the deadline, but after the 9.45 s the budget wait may use.
        LlmConfig tight = LlmConfig.builder("openai", "gpt-4").timeout(new TimeoutConfig(10.5, null)).build();
        CallResponse late = p.call(CallInput.of(tight, List.of(Map.of("role", "user", "content", "second"))));

        assertThat(late.success()).isFalse();
        assertThat(late.error()).isEqualTo("LLM call timed out after 10.5 s (timeout.totalTime) waiting for rate "
                + "budget (p:openai rpm)");
        assertThat(dispatch.count()).isEqualTo(1);
    }

    private static final String COOL = "llmix:fleet:keys:{openai}:cool";

    /** A dispatch answering 429 for k1 (with {@code retryAfter} when not null) and success for any other key. */
    private static ScriptedDispatch k1RateLimited(String retryAfter) {
        Map<String, String> headers = retryAfter == null ? Map.of() : Map.of("Retry-After", retryAfter);
        return new ScriptedDispatch((ctx, n) -> K1.equals(ctx.apiKey())
                ? CompletableFuture.failedFuture(new ProviderException("rate limited", 429, headers))
                : CompletableFuture.completedFuture(ScriptedDispatch.result("ok")));
    }

    @Test
    void a429WithRetryAfterFiveOnACoolsK1ForFiveSecondsOnAAndBWhichUsesK2() {
        // Breakers local: A's breaker opens on the 429 (threshold 1), and B must not follow it here.
        CallPipeline a = pipeline("a", dirA, k1RateLimited("5"), false);
        ScriptedDispatch bDispatch = ScriptedDispatch.ok("fine");
        CallPipeline b = pipeline("b", dirB, bDispatch, false);
        assertThat(call(a, "one").success()).isFalse();

        FleetClients.eventually(Duration.ofSeconds(1), () -> b.getKeyPool("openai").coolingCount() == 1,
                "B never cooled k1");
        assertThat(a.getKeyPool("openai").coolingCount()).isEqualTo(1);
        long now = Long.parseLong(String.valueOf(((List<?>) REDIS.command("TIME")).get(0))) * 1000;
        String score = String.valueOf(REDIS.command("ZSCORE", COOL, KeyPool.fingerprint(K1)));
        // Cooling 5 s from the 429 (Redis time, read at second resolution here).
        assertThat(Long.parseLong(score) - now).isBetween(3_000L, 6_000L);
        assertThat(call(b, "two").success()).isTrue();
        assertThat(bDispatch.keysSeen()).containsExactly(K2);
        // A's breaker opened on the 429 (threshold 1); its pool alone shows the cursor skipping k1.
        assertThat(a.getKeyPool("openai").select()).isEqualTo(K2);
    }

    @Test
    void a429WithoutRetryAfterOnlyRotatesAndPublishesNothing() {
        // Key health shared, breakers local: any publish or script would come from the key pool.
        CallPipeline a = pipeline("a", dirA, k1RateLimited(null), false);
        CallPipeline b = pipeline("b", dirB, ScriptedDispatch.ok("fine"), false);
        REDIS.command("CONFIG", "RESETSTAT");
        assertThat(call(a, "one").success()).isFalse();

        assertThat(a.getKeyPool("openai").coolingCount()).isZero();
        assertThat(a.getKeyPool("openai").currentFingerprint()).isEqualTo(KeyPool.fingerprint(K2));
        assertThat(REDIS.command("EXISTS", COOL)).isEqualTo(0L);
        Map<String, Long> stats = FleetBudgetHarness.commandStats(REDIS);
        assertThat(stats.getOrDefault("publish", 0L)).isZero();
        assertThat(stats.getOrDefault("evalsha", 0L) + stats.getOrDefault("eval", 0L)).isZero();
        assertThat(b.getKeyPool("openai").coolingCount()).isZero();
    }
}
