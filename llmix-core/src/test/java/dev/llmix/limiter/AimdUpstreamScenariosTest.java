package dev.llmix.limiter;

import dev.llmix.internal.http.RateLimitHeaders;
import static org.assertj.core.api.Assertions.assertThat;

import dev.llmix.testsupport.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Upstream {@code aimd-scenarios.json} (read in place, skipped when the shared folder is absent): every window
 * scenario with the default floor 4, and every {@code header_parsing} case.
 */
class AimdUpstreamScenariosTest {

    private static final String FIXTURE = "fixtures/upstream/llmix/aimd-scenarios.json";

    private static JsonNode fixture() throws IOException {
        Path path = Fixtures.shared(FIXTURE).orElse(null);
        Assumptions.assumeTrue(path != null, "shared upstream fixture " + FIXTURE + " is absent");
        return JsonMapper.builder().build().readTree(Files.readString(path));
    }

    @Test
    void everyUpstreamScenarioReachesItsExpectedWindow() throws IOException {
        JsonNode root = fixture();
        int min = root.get("defaults").get("min_concurrency").asInt();
        assertThat(min).isEqualTo(AdaptiveSemaphore.DEFAULT_MIN_CONCURRENCY);
        List<String> mismatches = new ArrayList<>();
        int ran = 0;
        for (JsonNode scenario : root.get("scenarios")) {
            AdaptiveSemaphore semaphore = new AdaptiveSemaphore(scenario.get("initial").asInt(), min);
            for (JsonNode action : scenario.get("actions")) {
                switch (action.get("type").asString()) {
                    case "success" -> semaphore.onSuccess();
                    case "rate_limit" -> semaphore.onRateLimit();
                    case "header_feedback" -> semaphore.onHeaderFeedback(action.get("remaining").asDouble(),
                            action.get("limit").asDouble());
                    default -> mismatches.add(scenario.get("name").asString() + ": unknown action " + action);
                }
            }
            int expected = scenario.get("expected_window").asInt();
            if (semaphore.window() != expected) {
                mismatches.add(scenario.get("name").asString() + ": expected " + expected + " but was "
                        + semaphore.window());
            }
            ran++;
        }
        System.out.println("[upstream] aimd-scenarios.json scenarios: " + ran + " ran");
        assertThat(mismatches).isEmpty();
        assertThat(ran).isEqualTo(root.get("scenarios").size()).isPositive();
    }

    @Test
    void everyUpstreamHeaderParsingCaseMatches() throws IOException {
        JsonNode root = fixture();
        int ran = 0;
        for (JsonNode c : root.get("header_parsing")) {
            Map<String, @Nullable Object> headers = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> e : c.get("headers").properties()) {
                headers.put(e.getKey(), e.getValue().asString());
            }
            RateLimitHeaders.Feedback actual = RateLimitHeaders.parse(headers);
            JsonNode expected = c.get("expected");
            if (expected.isNull()) {
                assertThat(actual).as(c.get("name").asString()).isNull();
            } else {
                assertThat(actual).as(c.get("name").asString()).isEqualTo(new RateLimitHeaders.Feedback(
                        expected.get("remaining").asDouble(), expected.get("limit").asDouble()));
            }
            ran++;
        }
        System.out.println("[upstream] aimd-scenarios.json header_parsing: " + ran + " ran");
        assertThat(ran).isEqualTo(root.get("header_parsing").size()).isPositive();
    }
}
