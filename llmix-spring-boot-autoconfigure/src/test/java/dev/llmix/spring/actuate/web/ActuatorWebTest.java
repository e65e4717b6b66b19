package dev.llmix.spring.actuate.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmix.client.LlmixClient;
import dev.llmix.client.Message;
import dev.llmix.pipeline.CallPipeline;
import dev.llmix.pipeline.CallResponse;
import dev.llmix.spring.testing.LeakScanner;
import dev.llmix.spring.testing.ScriptedLlm;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/** The endpoint, health and metrics of a running web application, over real HTTP. */
@SpringBootTest(classes = WebTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "management.endpoints.web.exposure.include=health,metrics,llmix",
            "management.endpoint.llmix.access=unrestricted"})
@ExtendWith(LeakScanner.class)
class ActuatorWebTest {

    @TempDir
    static Path root;

    @DynamicPropertySource
    static void llmix(DynamicPropertyRegistry registry) {
        for (String p : WebTestApplication.properties(root)) {
            int eq = p.indexOf('=');
            registry.add(p.substring(0, eq), () -> p.substring(eq + 1));
        }
    }

    @LocalServerPort
    int port;

    @Autowired
    CallPipeline pipeline;

    @Autowired
    LlmixClient client;

    @Autowired
    ScriptedLlm llm;

    @Autowired
    MeterRegistry meters;

    private Http http;

    @BeforeEach
    void setUp() {
        http = new Http(port);
        llm.succeed();
    }

    @AfterEach
    void tearDown() {
        pipeline.killSwitch().release();
        pipeline.resetAllCircuitBreakers();
        LeakScanner.meters(meters);
    }

    private CallResponse call() {
        return client.call("demo", "chat", List.of(Message.user("hello")));
    }

    private CallResponse cachedCall(String text) {
        return client.call("demo", "cached", List.of(Message.user(text)));
    }

    @Test
    void getShowsEverySection() {
        cachedCall("a");
        cachedCall("a");

        Http.Reply r = http.get("/actuator/llmix");

        assertThat(r.status()).isEqualTo(200);
        JsonNode json = r.json();
        assertThat(json.propertyNames()).containsExactly("killSwitch", "breakers", "cache", "keyPools", "limiters",
                "singleflight", "presets", "streams", "providers", "fallbacks", "budgets", "cost",
                "calls");
        assertThat(json.get("budgets").isArray()).isTrue();
        assertThat(json.at("/killSwitch/scope").asString()).isEqualTo("local");
        assertThat(json.at("/killSwitch/reason").isNull()).isTrue();
        assertThat(json.at("/killSwitch/since").isNull()).isTrue();
        assertThat(json.at("/breakers/0/provider").asString()).isEqualTo("openai");
        assertThat(json.at("/breakers/0/openedAt").isNull()).isTrue();
        assertThat(json.at("/cache/hits/l1").asLong()).isPositive();
        assertThat(json.at("/keyPools/0/keys/0").asString()).isEqualTo("sk-…abcd");
        assertThat(json.at("/limiters/0/window").asInt()).isEqualTo(32);
        assertThat(json.at("/singleflight/inFlight").asInt()).isZero();
        assertThat(json.get("presets").propertyNames()).containsExactly("mode", "root", "revision", "lastReloadAt",
                "lastReloadError");
        assertThat(json.at("/presets/mode").asString()).isEqualTo("source");
        assertThat(json.at("/presets/root").asString()).isEqualTo(root.resolve("presets").toString());
    }

    @Test
    void killSwitchStopsCallsWithoutDispatchUntilReleased() {
        assertThat(call().success()).isTrue();
        int dispatched = llm.dispatches();

        Http.Reply engaged = http.post("/actuator/llmix/killswitch", "{\"engage\": true, \"reason\": \"incident 42\"}");

        assertThat(engaged.status()).isEqualTo(200);
        assertThat(engaged.json().at("/killSwitch/active").asBoolean()).isTrue();
        assertThat(engaged.json().at("/killSwitch/reason").asString()).isEqualTo("incident 42");
        CallResponse refused = call();
        assertThat(refused.success()).isFalse();
        assertThat(refused.error()).startsWith("Kill switch active");
        assertThat(llm.dispatches()).isEqualTo(dispatched);

        Http.Reply released = http.post("/actuator/llmix/killswitch", "{\"engage\": false}");

        assertThat(released.status()).isEqualTo(200);
        assertThat(released.json().at("/killSwitch/active").asBoolean()).isFalse();
        assertThat(call().success()).isTrue();
        assertThat(llm.dispatches()).isEqualTo(dispatched + 1);
    }

    @Test
    void breakerResetOverHttp() {
        llm.failWith(503);
        call();
        assertThat(http.get("/actuator/llmix").json().at("/breakers/0/state").asString()).isEqualTo("OPEN");
        llm.succeed();
        assertThat(call().error()).contains("Circuit breaker OPEN");

        Http.Reply reset = http.post("/actuator/llmix/breakers", "{\"provider\": \"openai\", \"baseUrl\": \"\"}");

        assertThat(reset.status()).isEqualTo(200);
        assertThat(reset.json().at("/breakers/0/state").asString()).isEqualTo("CLOSED");
        assertThat(call().success()).isTrue();
        assertThat(http.post("/actuator/llmix/breakers", "{}").status()).isEqualTo(200);
    }

    @Test
    void cacheClearOverHttp() {
        cachedCall("c");

        Http.Reply r = http.post("/actuator/llmix/cache", "{\"clear\": true}");

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().at("/cache/l1Size").asLong()).isZero();
    }

    @Test
    void badInputIs400WithAnErrorBody() {
        Http.Reply unknown = http.post("/actuator/llmix/nope", "{}");
        Http.Reply noEngage = http.post("/actuator/llmix/killswitch", "{\"reason\": \"x\"}");

        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.json().get("error").asString()).isEqualTo(
                "Unknown target 'nope'; expected killswitch, breakers, cache or keys");
        assertThat(noEngage.status()).isEqualTo(400);
        assertThat(noEngage.json().get("error").asString()).isEqualTo("'engage' (true or false) is required");
    }

    @Test
    void metricsCountCallsPerOutcome() {
        double before = killSwitchCalls();
        call();
        pipeline.killSwitch().engage("metrics");
        call();
        pipeline.killSwitch().release();

        Http.Reply all = http.get("/actuator/metrics/llmix.calls");
        Http.Reply killed = http.get("/actuator/metrics/llmix.calls?tag=outcome:kill_switch");

        assertThat(all.status()).isEqualTo(200);
        assertThat(all.json().at("/availableTags")).anySatisfy(t -> {
            assertThat(t.get("tag").asString()).isEqualTo("outcome");
            assertThat(t.get("values")).extracting(JsonNode::asString).contains("success", "kill_switch");
        });
        assertThat(killed.json().at("/measurements/0/statistic").asString()).isEqualTo("COUNT");
        assertThat(killed.json().at("/measurements/0/value").asDouble()).isEqualTo(before + 1);
        assertThat(http.get("/actuator/metrics/llmix.tokens").status()).isEqualTo(200);
        assertThat(http.get("/actuator/metrics/llmix.breaker.state").status()).isEqualTo(200);
    }

    private double killSwitchCalls() {
        io.micrometer.core.instrument.Timer t = meters.find("llmix.calls").tag("outcome", "kill_switch").timer();
        return t == null ? 0 : t.count();
    }

    @Test
    void healthHasTheLlmixComponent() {
        Http.Reply r = http.get("/actuator/health");

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().at("/components/llmix/status").asString()).isEqualTo("UP");
        assertThat(r.json().at("/components/llmix/details").propertyNames()).containsExactly("killSwitch",
                "breakers", "l2", "providers");
        assertThat(r.json().at("/components/llmix/details/providers/openai/usableKeys").asInt()).isPositive();
    }

    @Test
    void engagedKillSwitchKeepsTheInstanceUp() {
        pipeline.killSwitch().engage("maintenance");

        Http.Reply r = http.get("/actuator/health");

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().at("/components/llmix/status").asString()).isEqualTo("UP");
        assertThat(r.json().at("/components/llmix/details/killSwitch/active").asBoolean()).isTrue();
    }
}
