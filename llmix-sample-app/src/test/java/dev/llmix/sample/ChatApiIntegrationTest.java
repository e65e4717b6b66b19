package dev.llmix.sample;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmix.sample.SampleHttp.Reply;
import java.io.IOException;
import java.nio.file.Files;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/** The sample over real HTTP, as a newcomer would try it with {@code curl}: chat, cache, Actuator, kill switch. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ChatApiIntegrationTest {

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws IOException {
        SampleTestProperties.register(registry, Files.createTempDirectory("llmix-sample-http-state"));
    }

    @LocalServerPort
    int port;

    private SampleHttp http;

    @BeforeEach
    void client() {
        http = new SampleHttp(port);
    }

    private static String chat(String preset, String text) {
        return "{\"module\": \"demo\", \"preset\": \"" + preset + "\", \"messages\": [{\"role\": \"user\", "
                + "\"content\": \"" + text + "\"}]}";
    }

    private long l1Hits() {
        return http.get("/actuator/llmix").body().path("cache").path("hits").path("l1").asLong();
    }

    @Test
    void secondIdenticalChatIsServedFromTheL1Cache() {
        long hitsBefore = l1Hits();
        Reply first = http.post("/api/chat", chat("chat", "What does LLMix do?"));
        assertThat(first.status()).isEqualTo(200);
        assertThat(first.body().path("success").asBoolean()).isTrue();
        assertThat(first.body().path("content").asString()).contains("[simulated]").contains("What does LLMix do?");
        assertThat(first.body().has("cacheHit")).isFalse();

        Reply second = http.post("/api/chat", chat("chat", "What does LLMix do?"));
        assertThat(second.body().path("success").asBoolean()).isTrue();
        assertThat(second.body().path("cacheHit").asString()).isEqualTo("l1");
        assertThat(second.body().path("content").asString()).isEqualTo(first.body().path("content").asString());
        assertThat(second.body().path("usage").path("totalTokens").asLong()).isZero();

        assertThat(l1Hits()).isEqualTo(hitsBefore + 1);
    }

    @Test
    void thinkBlockIsMovedToThinkingContent() {
        JsonNode body = http.post("/api/chat", chat("chat", "Think first")).body();
        assertThat(body.path("content").asString()).doesNotContain("<think>");
        assertThat(body.path("thinkingContent").asString()).contains("simulated model");
    }

    @Test
    void keepThinkingPresetLeavesTheThinkBlockInTheContent() {
        JsonNode body = http.post("/api/chat", chat("thinking", "Think aloud")).body();
        assertThat(body.path("content").asString()).startsWith("<think>");
    }

    @Test
    void uncachedPresetNeverReportsACacheHit() {
        http.post("/api/chat", chat("fresh", "Same again"));
        assertThat(http.post("/api/chat", chat("fresh", "Same again")).body().has("cacheHit")).isFalse();
    }

    @Test
    void engagedKillSwitchRefusesChatsUntilReleased() {
        Reply engaged = http.post("/actuator/llmix/killswitch", "{\"engage\": true, \"reason\": \"test\"}");
        assertThat(engaged.status()).isEqualTo(200);
        assertThat(engaged.body().path("killSwitch").path("active").asBoolean()).isTrue();
        try {
            JsonNode refused = http.post("/api/chat", chat("fresh", "Anyone?")).body();
            assertThat(refused.path("success").asBoolean()).isFalse();
            assertThat(refused.path("error").asString()).startsWith("Kill switch active");
        } finally {
            http.post("/actuator/llmix/killswitch", "{\"engage\": false}");
        }
        assertThat(http.post("/api/chat", chat("fresh", "Anyone?")).body().path("success").asBoolean()).isTrue();
    }

    @Test
    void actuatorDocumentShowsTheSimulatedKeyPoolMasked() {
        http.post("/api/chat", chat("fresh", "hello"));
        JsonNode doc = http.get("/actuator/llmix").body();
        // Sorted by provider: the fallback vendor's pool (anthropic) comes first.
        JsonNode pool = null;
        for (JsonNode p : doc.path("keyPools")) {
            if (p.path("provider").asString().equals("openai")) {
                pool = p;
            }
        }
        assertThat(pool).as("openai key pool").isNotNull();
        assertThat(pool.path("total").asInt()).isEqualTo(2);
        assertThat(pool.path("keys").toString()).doesNotContain("sim-key-not-secret-0001");
        assertThat(doc.path("breakers").get(0).path("state").asString()).isEqualTo("CLOSED");
    }

    @Test
    void unknownPresetIsAClientError() {
        Reply reply = http.post("/api/chat", chat("nope", "hi"));
        assertThat(reply.status()).isEqualTo(404);
        assertThat(reply.body().path("error").asString()).contains("nope");
    }

    @Test
    void missingMessagesIsABadRequestWithAnExplanation() {
        Reply reply = http.post("/api/chat", "{\"module\": \"demo\", \"preset\": \"chat\", \"messages\": []}");
        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.body().path("error").asString()).contains("messages");
    }

    @Test
    void simulatorSettingsCanBeChangedAtRunTime() {
        JsonNode before = http.get("/api/simulator").body().path("settings");
        String changed = before.toString().replace("\"thinking\":true", "\"thinking\":false");
        try {
            assertThat(http.put("/api/simulator", changed).body().path("settings").path("thinking").asBoolean())
                    .isFalse();
            assertThat(http.post("/api/chat", chat("fresh", "no thinking")).body().has("thinkingContent")).isFalse();
        } finally {
            http.put("/api/simulator", before.toString());
        }
        assertThat(http.put("/api/simulator", before.toString().replaceFirst("\"errorRate\":[0-9.]+",
                "\"errorRate\":7")).status()).isEqualTo(400);
    }

    @Test
    void loadBurstRunsEveryCallToCompletion() throws InterruptedException {
        Reply started = http.post("/api/load", "{\"module\": \"demo\", \"preset\": \"fresh\", \"count\": 40}");
        assertThat(started.status()).isEqualTo(200);
        assertThat(started.body().path("requested").asInt()).isEqualTo(40);
        JsonNode status = started.body();
        for (int i = 0; i < 200 && status.path("running").asBoolean(); i++) {
            Thread.sleep(50);
            status = http.get("/api/load").body();
        }
        assertThat(status.path("completed").asInt()).isEqualTo(40);
        assertThat(status.path("succeeded").asInt()).isEqualTo(40);
    }
}
