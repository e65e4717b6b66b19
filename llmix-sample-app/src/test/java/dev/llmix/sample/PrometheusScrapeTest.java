package dev.llmix.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * Starts the sample, makes calls (fresh, cached, some rate-limited by the simulator), scrapes
 * {@code /actuator/prometheus}, and checks that every metric the Grafana dashboard queries exists.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class PrometheusScrapeTest {

    private static final Path DASHBOARD = Path.of("../docs/grafana/llmix-dashboard.json");
    private static final Pattern METRIC = Pattern.compile("\\b((?:llmix|gen_ai)_[a-z0-9_]+)\\b");

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws IOException {
        SampleTestProperties.register(registry, Files.createTempDirectory("llmix-sample-prometheus-state"));
        // Some 429s so that retries, key rotations and limiter changes appear in the scrape.
        registry.add("sample.simulated.rate-limit-rate", () -> "0.3");
        // Short back-offs (a longer Retry-After falls back to the backoff), so the retries take milliseconds.
        registry.add("llmix.pipeline.retry-base-delay", () -> "1ms");
        registry.add("llmix.pipeline.retry-max-delay", () -> "5ms");
        registry.add("llmix.pipeline.retry-max-retry-after", () -> "1ms");
    }

    private static String chat(String text) {
        return "{\"module\": \"demo\", \"preset\": \"chat\", \"messages\": [{\"role\": \"user\", \"content\": \""
                + text + "\"}]}";
    }

    private String scrape() throws IOException, InterruptedException {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://localhost:" + port + "/actuator/prometheus")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(
                ct -> assertThat(ct).startsWith("text/plain"));
        return r.body();
    }

    /** Every metric name in the dashboard's queries (panels and template variables). */
    private static Set<String> dashboardMetrics() throws IOException {
        JsonNode d = SampleHttp.JSON.readTree(Files.readString(DASHBOARD));
        List<String> exprs = new ArrayList<>();
        d.path("panels").forEach(p -> p.path("targets").forEach(t -> exprs.add(t.path("expr").asString())));
        d.path("templating").path("list").forEach(v -> exprs.add(v.path("query").path("query").asString()));
        Set<String> names = new TreeSet<>();
        for (String e : exprs) {
            // Label names (in "by (…)" clauses and "{…}" matchers) are not metrics.
            Matcher m = METRIC.matcher(e.replaceAll("by \\([^)]*\\)", "").replaceAll("\\{[^}]*\\}", ""));
            while (m.find()) {
                names.add(m.group(1));
            }
        }
        return names;
    }

    @Test
    void everyMetricTheGrafanaDashboardQueriesExists() throws Exception {
        SampleHttp http = new SampleHttp(port);
        for (int i = 0; i < 30; i++) {
            http.post("/api/chat", chat("scrape question " + i));
        }
        http.post("/api/chat", chat("scrape question 0")); // an L1 hit: saved cost

        String text = scrape();
        Set<String> wanted = dashboardMetrics();
        assertThat(wanted).contains("llmix_calls_seconds_bucket", "llmix_cost_usd_total",
                "llmix_cost_saved_usd_total", "gen_ai_client_operation_duration_seconds_bucket");
        List<String> missing = new ArrayList<>();
        for (String name : wanted) {
            if (!Pattern.compile("(?m)^" + name + "[{ ]").matcher(text).find()) {
                missing.add(name);
            }
        }
        assertThat(missing).as("metrics queried by the dashboard but absent from the scrape").isEmpty();
        assertThat(text).contains("application=\"llmix-sample\"");
        assertThat(text).doesNotContain("sk-");
    }
}
