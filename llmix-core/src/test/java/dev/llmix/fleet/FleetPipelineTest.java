package dev.llmix.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmix.config.LlmConfig;
import dev.llmix.keys.KeyPool;
import dev.llmix.pipeline.CallPipeline;
import dev.llmix.pipeline.CallResponse;
import dev.llmix.spi.CallInput;
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
        CallPipeline p = new CallPipeline(PipelineFixtures.deterministic(dir).circuitBreakerThreshold(1)
                .circuitBreakerCooldown(Duration.ofSeconds(30)).build(), dispatch);
        pipelines.add(p);
        p.setKeyPool("openai", new KeyPool(List.of(K1, K2)));
        FleetRuntime rt = fleet.startHealthy(FleetClients.quick(id).breakersShared(true).keysShared(true).build());
        FleetBreakers.attach(rt, p.circuitBreakers());
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
}
