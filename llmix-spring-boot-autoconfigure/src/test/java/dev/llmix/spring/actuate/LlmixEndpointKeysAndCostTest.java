package dev.llmix.spring.actuate;

import static dev.llmix.spring.testing.TestPipelines.CACHED;
import static dev.llmix.spring.testing.TestPipelines.UNCACHED;
import static dev.llmix.spring.testing.TestPipelines.input;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.llmix.cache.TwoTierCache;
import dev.llmix.keys.KeyPool;
import dev.llmix.pipeline.CallPipeline;
import dev.llmix.provider.PriceBook;
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
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.actuate.audit.listener.AuditApplicationEvent;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** {@code POST /actuator/llmix/keys} revives dead keys by fingerprint; the report shows cost and savings. */
class LlmixEndpointKeysAndCostTest {

    private static final JsonMapper JSON = JsonMapper.shared();

    @TempDir
    Path stateDir;

    private final ScriptedLlm llm = new ScriptedLlm();
    private final List<Object> events = new ArrayList<>();
    private CallPipeline pipeline;
    private LlmixEndpoint endpoint;

    @BeforeEach
    void setUp() {
        pipeline = new CallPipeline(TestPipelines.options(stateDir)
                .responseCache(TwoTierCache.builder().maxItems(100).build())
                .priceBook(PriceBook.builtIn().with("openai", "gpt-4", PriceBook.ModelPrice.configured(30, 60, 15.0)))
                .build(), llm);
        pipeline.setKeyPool("openai", new KeyPool(ScriptedLlm.TEST_KEYS));
        endpoint = new LlmixEndpoint(pipeline, new LocalKillSwitch(pipeline::killSwitch),
                () -> LlmixReport.Presets.unknown(), events::add);
    }

    @AfterEach
    void tearDown() {
        pipeline.close();
    }

    private JsonNode read(LlmixReport report) {
        String body = JSON.writeValueAsString(report);
        LeakScanner.response(body);
        return JSON.readTree(body);
    }

    @Test
    void reviveOneDeadKeyByFingerprint() {
        llm.failWith(401);
        pipeline.call(input(UNCACHED, "a"));
        String dead = KeyPool.fingerprint(ScriptedLlm.TEST_KEYS.get(0));
        JsonNode before = read(endpoint.report()).path("keyPools").get(0);
        assertThat(before.path("alive").asInt()).isEqualTo(1);
        assertThat(before.path("deadFingerprints").get(0).asString()).isEqualTo(dead);

        JsonNode after = read(endpoint.write("keys", null, null, "openai", null, null, dead, null))
                .path("keyPools").get(0);

        assertThat(after.path("alive").asInt()).isEqualTo(2);
        assertThat(after.path("deadFingerprints")).isEmpty();
        assertThat(events).singleElement().satisfies(e ->
                assertThat(((AuditApplicationEvent) e).getAuditEvent().getType()).isEqualTo("LLMIX_KEYS_REVIVED"));
    }

    @Test
    void reviveAllDeadKeys() {
        llm.failWith(401);
        pipeline.call(input(UNCACHED, "a"));
        pipeline.resetAllCircuitBreakers();
        pipeline.call(input(UNCACHED, "b"));
        assertThat(pipeline.getKeyPool("openai").aliveCount()).isZero();

        endpoint.write("keys", null, null, null, null, null, null, null);

        assertThat(pipeline.getKeyPool("openai").aliveCount()).isEqualTo(2);
    }

    @Test
    void reviveRejectsAnUnknownFingerprint() {
        assertThatThrownBy(() -> endpoint.write("keys", null, null, "openai", null, null, "0000000000000000", null))
                .isInstanceOf(InvalidEndpointRequestException.class)
                .hasMessageContaining("No dead key with fingerprint '0000000000000000'");
        assertThatThrownBy(() -> endpoint.write("keys", null, null, null, null, null, "0000000000000000", null))
                .isInstanceOf(InvalidEndpointRequestException.class)
                .hasMessageContaining("'fingerprint' needs 'provider'");
    }

    @Test
    void reportShowsCostAndSavingsSinceStart() {
        pipeline.call(input(CACHED, "a"));
        pipeline.call(input(CACHED, "a"));

        JsonNode cost = read(endpoint.report()).path("cost");

        double one = 5 * 30e-6 + 5 * 15e-6 + 20 * 60e-6;
        assertThat(cost.path("totalUsd").asDouble()).isCloseTo(one, within(1e-9));
        assertThat(cost.path("savedUsd").asDouble()).isCloseTo(one, within(1e-9));
        assertThat(cost.path("models").get(0).path("model").asString()).isEqualTo("gpt-4");
        assertThat(cost.path("models").get(0).path("cacheHits").asLong()).isEqualTo(1);
    }
}
