package dev.llmix.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/** {@code POST /api/chat/stream} over real HTTP: chunk events, then done; the replay of a cached answer; bad input. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ChatStreamIntegrationTest {

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws IOException {
        SampleTestProperties.register(registry, Files.createTempDirectory("llmix-sample-stream-state"));
        registry.add("sample.simulated.error-rate", () -> "0");
        registry.add("sample.simulated.rate-limit-rate", () -> "0");
        registry.add("sample.simulated.chunk-delay-ms", () -> "1");
    }

    @LocalServerPort
    int port;

    /** One server-sent event: its name and JSON data. */
    record Event(String name, JsonNode data) {
    }

    private HttpResponse<String> post(String body) throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/chat/stream"))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                // As a browser's fetch does: the stream, or the JSON error for bad input.
                .header("Accept", "text/event-stream, application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static List<Event> events(String body) {
        List<Event> events = new ArrayList<>();
        for (String block : body.split("\n\n")) {
            String name = null;
            StringBuilder data = new StringBuilder();
            for (String line : block.split("\n")) {
                if (line.startsWith("event:")) {
                    name = line.substring(6).strip();
                } else if (line.startsWith("data:")) {
                    data.append(line.substring(5));
                }
            }
            if (name != null) {
                events.add(new Event(name, SampleHttp.JSON.readTree(data.toString())));
            }
        }
        return events;
    }

    private static String chat(String text) {
        return "{\"module\": \"demo\", \"preset\": \"chat\", \"messages\": [{\"role\": \"user\", \"content\": \""
                + text + "\"}]}";
    }

    @Test
    void chunksArriveBeforeDoneAndASecondStreamReplaysTheCache() throws Exception {
        HttpResponse<String> first = post(chat("Stream this please"));
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.headers().firstValue("content-type").orElse("")).startsWith("text/event-stream");
        List<Event> events = events(first.body());
        List<Event> chunks = events.subList(0, events.size() - 1);
        Event done = events.get(events.size() - 1);
        assertThat(done.name()).isEqualTo("done");
        assertThat(chunks).hasSizeGreaterThanOrEqualTo(2).allSatisfy(e -> {
            assertThat(e.name()).isEqualTo("chunk");
            assertThat(e.data().toString()).doesNotContain("<think>").doesNotContain("<thi");
        });
        StringBuilder content = new StringBuilder();
        chunks.forEach(e -> content.append(e.data().path("content").asString("")));
        assertThat(done.data().path("success").asBoolean()).isTrue();
        assertThat(done.data().path("content").asString()).isEqualTo(content.toString().strip())
                .contains("[simulated]");

        List<Event> replay = events(post(chat("Stream this please")).body());
        assertThat(replay).hasSize(3);
        assertThat(replay.get(0).data().has("thinking")).isTrue();
        assertThat(replay.get(1).data().path("content").asString()).isEqualTo(done.data().path("content").asString());
        assertThat(replay.get(2).data().path("cacheHit").asString()).isEqualTo("l1");
    }

    @Test
    void anInvalidBodyGetsThePlain400JsonError() throws Exception {
        HttpResponse<String> r = post("{\"module\": \"demo\", \"messages\": []}");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(SampleHttp.JSON.readTree(r.body()).isObject()).isTrue();
    }
}
