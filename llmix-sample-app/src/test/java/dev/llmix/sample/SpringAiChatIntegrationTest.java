package dev.llmix.sample;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmix.sample.SampleHttp.Reply;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The sample's ChatClient endpoint over LlmixChatModel shares LLMix's cache and kill switch with /api/chat. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class SpringAiChatIntegrationTest {

    static Path stateDir;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws IOException {
        stateDir = Files.createTempDirectory("llmix-sample-springai-state");
        SampleTestProperties.register(registry, stateDir);
    }

    @LocalServerPort
    int port;

    private SampleHttp http;

    @BeforeEach
    void client() {
        http = new SampleHttp(port);
    }

    @Test
    void secondChatClientCallIsAnL1HitSharedWithTheLlmixClientEndpoint() {
        Reply first = http.post("/api/spring-ai/chat", "{\"message\":\"What is LLMix?\"}");
        Reply second = http.post("/api/spring-ai/chat", "{\"message\":\"What is LLMix?\"}");

        assertThat(first.status()).isEqualTo(200);
        assertThat(first.body().path("content").asString()).startsWith("[simulated]");
        assertThat(second.body().path("cacheHit").asString()).isEqualTo("l1");

        Reply plain = http.post("/api/chat", "{\"module\":\"demo\",\"preset\":\"chat\",\"messages\":"
                + "[{\"role\":\"user\",\"content\":\"What is LLMix?\"}]}");
        assertThat(plain.body().path("cacheHit").asString()).isEqualTo("l1");
    }

    @Test
    void killSwitchGivesA503WithoutPaths() throws IOException {
        Path file = stateDir.resolve("killswitch");
        Files.writeString(file, "test");
        try {
            Reply reply = http.post("/api/spring-ai/chat", "{\"message\":\"Blocked?\"}");

            assertThat(reply.status()).isEqualTo(503);
            assertThat(reply.body().path("error").asString()).contains("kill_switch")
                    .doesNotContain(stateDir.toString());
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
