package dev.llmix.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The executable jar, started as its own JVM from a directory that has no presets, serves the presets packaged inside
 * it ({@code classpath:config/llm}). Runs in the {@code integration-test} phase, after the jar is built.
 */
class PackagedJarTest {

    private static final Duration START_LIMIT = Duration.ofSeconds(90);

    @TempDir
    Path elsewhere;

    private Process app;

    @AfterEach
    void stop() throws InterruptedException {
        if (app != null) {
            app.destroy();
            if (!app.waitFor(20, TimeUnit.SECONDS)) {
                app.destroyForcibly().waitFor();
            }
        }
    }

    private static Path jar() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("target"))) {
            return files.filter(p -> p.getFileName().toString().matches("llmix-sample-app-.*\\.jar"))
                    .findFirst().orElseThrow(() -> new AssertionError("run 'mvn package' first: no jar in target/"));
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void theJarStartedFromAnotherDirectoryAnswersAPresetPackagedInIt() throws Exception {
        Path jar = jar().toAbsolutePath();
        int port = freePort();
        Path log = elsewhere.resolve("app.log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(List.of(java, "-jar", jar.toString(), "--server.port=" + port,
                "--llmix.kill-switch.state-dir=" + elsewhere.resolve("state"), "--sample.simulated.min-latency-ms=0",
                "--sample.simulated.max-latency-ms=1"))
                .directory(elsewhere.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().remove("LLMIX_CONFIG_DIR");
        app = pb.start();

        SampleHttp http = new SampleHttp(port);
        long deadline = System.nanoTime() + START_LIMIT.toNanos();
        SampleHttp.Reply health = null;
        while (System.nanoTime() < deadline && app.isAlive()) {
            try {
                health = http.get("/actuator/health");
                break;
            } catch (RuntimeException notYet) {
                Thread.sleep(200);
            }
        }
        assertThat(health).as("the jar started; its log:\n%s", Files.readString(log)).isNotNull();

        SampleHttp.Reply reply = http.post("/api/chat",
                "{\"module\":\"demo\",\"preset\":\"chat\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.body().get("success").asBoolean()).as(reply.body().toString()).isTrue();
        assertThat(reply.body().get("content").asString()).startsWith("[simulated]");
        assertThat(Files.readString(log)).contains("LLMix ready").contains("(source mode, classpath:config/llm)");
    }
}
