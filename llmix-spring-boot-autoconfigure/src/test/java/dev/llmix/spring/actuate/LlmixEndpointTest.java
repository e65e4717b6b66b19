package dev.llmix.spring.actuate;

import static dev.llmix.spring.testing.TestPipelines.CACHED;
import static dev.llmix.spring.testing.TestPipelines.UNCACHED;
import static dev.llmix.spring.testing.TestPipelines.input;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmix.config.LlmConfig;
import dev.llmix.keys.KeyPool;
import dev.llmix.pipeline.CallPipeline;
import dev.llmix.pipeline.CallResponse;
import dev.llmix.spring.killswitch.LocalKillSwitch;
import dev.llmix.spring.testing.LeakScanner;
import dev.llmix.spring.testing.ScriptedLlm;
import dev.llmix.spring.testing.TestPipelines;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.actuate.audit.listener.AuditApplicationEvent;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The {@code llmix} endpoint against a real pipeline, without a web server. */
@ExtendWith(LeakScanner.class)
class LlmixEndpointTest {

    private static final JsonMapper JSON = JsonMapper.shared();

    @TempDir
    Path stateDir;

    private final ScriptedLlm llm = new ScriptedLlm();
    private final List<Object> events = new ArrayList<>();
    private CallPipeline pipeline;
    private LlmixEndpoint endpoint;

    @BeforeEach
    void setUp() {
        pipeline = TestPipelines.pipeline(stateDir, llm, null, null);
        endpoint = new LlmixEndpoint(pipeline, new LocalKillSwitch(pipeline::killSwitch),
                () -> LlmixReport.Presets.unknown(), events::add);
    }

    @AfterEach
    void tearDown() {
        pipeline.close();
    }

    private JsonNode read() {
        String body = JSON.writeValueAsString(endpoint.report());
        LeakScanner.response(body);
        return JSON.readTree(body);
    }

    @Test
    void reportHasEverySectionOfTheContract() {
        pipeline.call(input(CACHED, "a"));
        pipeline.call(input(CACHED, "a"));

        JsonNode r = read();

        assertThat(r.propertyNames()).containsExactly("killSwitch", "breakers", "cache", "keyPools", "limiters",
                "singleflight", "presets", "streams", "providers", "fallbacks", "budgets", "cost",
                "calls");
        assertThat(r.get("budgets").isArray()).isTrue();
        assertThat(r.get("killSwitch").propertyNames()).containsExactly("active", "scope", "path", "reason", "since");
        assertThat(r.at("/killSwitch/active").asBoolean()).isFalse();
        assertThat(r.at("/killSwitch/scope").asString()).isEqualTo("local");
        assertThat(r.at("/killSwitch/path").asString()).isEqualTo(stateDir.resolve("killswitch").toString());
        assertThat(r.at("/killSwitch/reason").isNull()).isTrue();
        assertThat(r.get("breakers")).hasSize(1);
        assertThat(r.at("/breakers/0").propertyNames()).containsExactly("provider", "baseUrl", "state",
                "consecutiveFailures", "cooldownMs", "openedAt", "halfOpenActive");
        assertThat(r.at("/breakers/0/state").asString()).isEqualTo("CLOSED");
        assertThat(r.at("/breakers/0/cooldownMs").asLong()).isEqualTo(600_000);
        assertThat(r.at("/breakers/0/openedAt").isNull()).isTrue();
        assertThat(r.get("cache").propertyNames()).containsExactly("strategy", "l1Size", "l1Max", "hits", "misses",
                "l2Enabled", "l2Healthy");
        assertThat(r.at("/cache/strategy").asString()).isEqualTo("memory");
        assertThat(r.at("/cache/l1Size").asLong()).isEqualTo(1);
        assertThat(r.at("/cache/l1Max").asInt()).isEqualTo(100);
        assertThat(r.at("/cache/hits/l1").asLong()).isEqualTo(1);
        assertThat(r.at("/cache/hits/l2").asLong()).isZero();
        assertThat(r.at("/cache/misses").asLong()).isEqualTo(1);
        assertThat(r.at("/keyPools/0/provider").asString()).isEqualTo("openai");
        assertThat(r.at("/keyPools/0/alive").asInt()).isEqualTo(2);
        assertThat(r.at("/keyPools/0/total").asInt()).isEqualTo(2);
        assertThat(r.at("/keyPools/0/keys")).extracting(JsonNode::asString).containsExactly("sk-…abcd", "sk-…wxyz");
        assertThat(r.at("/limiters/0").propertyNames()).containsExactly("provider", "window", "min", "max",
                "inFlight", "waiting");
        assertThat(r.at("/limiters/0/window").asInt()).isEqualTo(32);
        assertThat(r.at("/singleflight/inFlight").asInt()).isZero();
        assertThat(r.at("/streams/inFlight").asInt()).isZero();
        assertThat(r.get("presets").propertyNames()).containsExactly("mode", "root", "revision", "lastReloadAt",
                "lastReloadError");
    }

    @Test
    void cacheIsNullWithoutAResponseCache() {
        CallPipeline bare = new CallPipeline(TestPipelines.options(stateDir).build(), llm);
        try {
            LlmixEndpoint e = new LlmixEndpoint(bare, new LocalKillSwitch(bare::killSwitch),
                    LlmixReport.Presets::unknown, null);
            assertThat(e.report().cache()).isNull();
            assertThatThrownBy(() -> e.write("cache", null, null, null, null, true, null))
                    .isInstanceOf(InvalidEndpointRequestException.class)
                    .hasMessage("No response cache is configured");
        } finally {
            bare.close();
        }
    }

    @Test
    void engagingStopsCallsWithoutDispatchAndReleasingResumesThem() {
        LlmixReport engaged = endpoint.write("killswitch", true, "incident 42", null, null, null, null);

        CallResponse refused = pipeline.call(input(UNCACHED, "a"));
        assertThat(engaged.killSwitch().active()).isTrue();
        assertThat(engaged.killSwitch().reason()).isEqualTo("incident 42");
        assertThat(engaged.killSwitch().since()).isNotNull();
        assertThat(refused.success()).isFalse();
        assertThat(refused.error()).startsWith("Kill switch active");
        assertThat(llm.dispatches()).isZero();

        LlmixReport released = endpoint.write("killswitch", false, null, null, null, null, null);

        assertThat(released.killSwitch().active()).isFalse();
        assertThat(pipeline.call(input(UNCACHED, "a")).success()).isTrue();
        assertThat(events).extracting(e -> ((AuditApplicationEvent) e).getAuditEvent().getType())
                .containsExactly("LLMIX_KILL_SWITCH_ENGAGED", "LLMIX_KILL_SWITCH_RELEASED");
    }

    @Test
    void engagingWithoutReasonRecordsTheDefaultReason() {
        assertThat(endpoint.write("killswitch", true, " ", null, null, null, null).killSwitch().reason())
                .isEqualTo(LlmixEndpoint.DEFAULT_REASON);
    }

    @Test
    void resettingOneBreakerClosesIt() {
        llm.failWith(503);
        pipeline.call(input(UNCACHED, "a"));
        assertThat(endpoint.report().breakers().get(0).state()).isEqualTo("OPEN");
        assertThat(endpoint.report().breakers().get(0).openedAt()).isNotNull();

        LlmixReport r = endpoint.write("breakers", null, null, "openai", "", null, null);

        assertThat(r.breakers().get(0).state()).isEqualTo("CLOSED");
        llm.succeed();
        assertThat(pipeline.call(input(UNCACHED, "a")).success()).isTrue();
    }

    @Test
    void resettingWithoutProviderResetsEveryBreaker() {
        llm.failWith(503);
        pipeline.setKeyPool("anthropic", new KeyPool(ScriptedLlm.TEST_KEYS));
        pipeline.call(input(UNCACHED, "a"));
        pipeline.call(input(LlmConfig.builder("anthropic", "claude").build(), "a"));
        assertThat(endpoint.report().breakers()).extracting(LlmixReport.Breaker::state).containsOnly("OPEN");

        LlmixReport r = endpoint.write("breakers", null, null, null, null, null, null);

        assertThat(r.breakers()).hasSize(2).extracting(LlmixReport.Breaker::state).containsOnly("CLOSED");
    }

    @Test
    void resettingAnUnknownBreakerIsBadInput() {
        assertThatThrownBy(() -> endpoint.write("breakers", null, null, "nope", "", null, null))
                .isInstanceOf(InvalidEndpointRequestException.class)
                .hasMessage("No circuit breaker for provider 'nope' and baseUrl ''");
    }

    @Test
    void breakerBaseUrlsAreShownWithoutCredentialsAndResetByTheShownForm() {
        llm.failWith(503);
        pipeline.setKeyPool("custom", new KeyPool(ScriptedLlm.TEST_KEYS));
        LlmConfig withSecretUrl = LlmConfig.builder("custom", "m")
                .baseUrl("https://user:pa55@llm.example.com/v1?token=t0k").build();
        pipeline.call(input(withSecretUrl, "a"));

        LlmixReport.Breaker b = endpoint.report().breakers().get(0);

        assertThat(b.baseUrl()).isEqualTo("https://llm.example.com/v1");
        assertThat(endpoint.write("breakers", null, null, "custom", b.baseUrl(), null, null).breakers().get(0)
                .state()).isEqualTo("CLOSED");
    }

    @Test
    void clearingTheCacheEmptiesL1() {
        pipeline.call(input(CACHED, "a"));
        assertThat(endpoint.report().cache().l1Size()).isEqualTo(1);

        assertThat(endpoint.write("cache", null, null, null, null, true, null).cache().l1Size()).isZero();
    }

    @Test
    void badInputIsRejectedWithAReason() {
        assertThatThrownBy(() -> endpoint.write("nope", null, null, null, null, null, null))
                .hasMessage("Unknown target 'nope'; expected killswitch, breakers, cache or keys");
        assertThatThrownBy(() -> endpoint.write("killswitch", null, "x", null, null, null, null))
                .hasMessage("'engage' (true or false) is required");
        assertThatThrownBy(() -> endpoint.write("cache", null, null, null, null, false, null))
                .hasMessage("'clear' must be true");
        assertThatThrownBy(() -> endpoint.write("breakers", null, null, null, "http://x", null, null))
                .hasMessage("'baseUrl' needs 'provider'");
    }

    @Test
    void webExtensionAnswersBadInputWith400AndAnErrorBody() {
        LlmixWebEndpointExtension web = new LlmixWebEndpointExtension(endpoint);

        WebEndpointResponse<Object> bad = web.write("cache", null, null, null, null, false, null);
        WebEndpointResponse<Object> ok = web.write("cache", null, null, null, null, true, null);

        assertThat(bad.getStatus()).isEqualTo(400);
        assertThat(JSON.writeValueAsString(bad.getBody())).isEqualTo("{\"error\":\"'clear' must be true\"}");
        assertThat(ok.getStatus()).isEqualTo(200);
        assertThat(ok.getBody()).isInstanceOf(LlmixReport.class);
    }
}
