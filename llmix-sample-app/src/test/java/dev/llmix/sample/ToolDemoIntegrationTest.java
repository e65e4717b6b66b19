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

/** The tool demo over real HTTP: the simulated provider calls get_weather, the handler answers, the model answers. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ToolDemoIntegrationTest {

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws IOException {
        SampleTestProperties.register(registry, Files.createTempDirectory("llmix-sample-tools-state"));
    }

    @LocalServerPort
    int port;

    private SampleHttp http;

    @BeforeEach
    void client() {
        http = new SampleHttp(port);
    }

    @Test
    void theWeatherToolLoopEndsWithTheToolResultInTheAnswer() {
        Reply reply = http.post("/api/tools/weather",
                "{\"module\":\"demo\",\"preset\":\"chat\",\"question\":\"What is the weather in Lisbon?\"}");

        assertThat(reply.status()).isEqualTo(200);
        JsonNode body = reply.body();
        assertThat(body.path("stopReason").asString()).isEqualTo("FINAL_ANSWER");
        assertThat(body.path("steps").asInt()).isEqualTo(2);
        assertThat(body.path("executions").get(0).path("arguments").asString()).isEqualTo("{\"city\":\"Lisbon\"}");
        assertThat(body.path("messages").get(1).path("tool_calls").get(0).path("function").path("name").asString())
                .isEqualTo("get_weather");
        assertThat(body.path("messages").get(2).path("role").asString()).isEqualTo("tool");
        assertThat(body.path("content").asString()).contains("[simulated]").contains("Lisbon");
    }
}
