package dev.llmix.spring.actuate;

import static dev.llmix.spring.testing.TestPipelines.UNCACHED;
import static dev.llmix.spring.testing.TestPipelines.input;
import static org.assertj.core.api.Assertions.assertThat;

import dev.llmix.pipeline.CallPipeline;
import dev.llmix.spring.killswitch.LocalKillSwitch;
import dev.llmix.spring.testing.LeakScanner;
import dev.llmix.spring.testing.ScriptedLlm;
import dev.llmix.spring.testing.TestPipelines;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

/** Details and status mapping of the {@code llmix} health contributor. */
@ExtendWith(LeakScanner.class)
class LlmixHealthIndicatorTest {

    @TempDir
    Path stateDir;

    private final ScriptedLlm llm = new ScriptedLlm();
    private final LlmixHealthProperties properties = new LlmixHealthProperties();
    private CallPipeline pipeline;
    private LlmixHealthIndicator indicator;

    @BeforeEach
    void setUp() {
        pipeline = TestPipelines.pipeline(stateDir, llm, null, null);
        indicator = new LlmixHealthIndicator(pipeline, new LocalKillSwitch(pipeline::killSwitch), properties);
    }

    @AfterEach
    void tearDown() {
        pipeline.close();
    }

    @Test
    void healthyPipelineIsUpWithDetails() {
        pipeline.call(input(UNCACHED, "a"));

        Health h = indicator.health();

        assertThat(h.getStatus()).isEqualTo(Status.UP);
        assertThat(h.getDetails()).containsOnlyKeys("killSwitch", "breakers", "l2");
        assertThat(h.getDetails().get("killSwitch")).isEqualTo(Map.of("active", false, "scope", "local"));
        assertThat(h.getDetails().get("breakers")).isEqualTo(Map.of("closed", 1, "open", 0, "halfOpen", 0));
        assertThat(h.getDetails().get("l2")).isEqualTo(Map.of("enabled", false, "healthy", true));
    }

    @Test
    void engagedKillSwitchStaysUpByDefault() {
        pipeline.killSwitch().engage("maintenance");

        Health h = indicator.health();

        assertThat(h.getStatus()).isEqualTo(Status.UP);
        @SuppressWarnings("unchecked")
        Map<String, Object> ks = (Map<String, Object>) h.getDetails().get("killSwitch");
        assertThat(ks).containsEntry("active", true).containsEntry("reason", "maintenance").containsKey("since");
    }

    @Test
    void engagedKillSwitchMapsToTheConfiguredStatus() {
        properties.setKillSwitchStatus("out_of_service");
        pipeline.killSwitch().engage("maintenance");

        assertThat(indicator.health().getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
    }

    @Test
    void openBreakerIsCountedAndMapsToTheConfiguredStatus() {
        llm.failWith(503);
        pipeline.call(input(UNCACHED, "a"));
        assertThat(indicator.health().getStatus()).isEqualTo(Status.UP);

        properties.setOpenBreakerStatus("DEGRADED");
        Health h = indicator.health();

        assertThat(h.getStatus().getCode()).isEqualTo("DEGRADED");
        assertThat(h.getDetails().get("breakers")).isEqualTo(Map.of("closed", 0, "open", 1, "halfOpen", 0));
    }

    @Test
    void mostSevereConditionWins() {
        assertThat(LlmixHealthIndicator.mostSevere(List.of(new Status("DEGRADED"), Status.DOWN, Status.OUT_OF_SERVICE)))
                .isEqualTo(Status.DOWN);
        assertThat(LlmixHealthIndicator.mostSevere(List.of(Status.UP, new Status("DEGRADED"))).getCode())
                .isEqualTo("DEGRADED");
        assertThat(LlmixHealthIndicator.mostSevere(List.of())).isEqualTo(Status.UP);
    }
}
