package dev.llmix.spring.actuate.web;

import dev.llmix.spring.testing.ScriptedLlm;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/**
 * A web application using the whole auto-configuration with a scripted provider (its {@code DispatchFunction} bean
 * replaces the provider adapters) and two source presets: {@code demo/chat} (uncached) and {@code demo/cached}
 * ({@code memory}).
 */
@SpringBootApplication
public class WebTestApplication {

    @Bean
    ScriptedLlm scriptedLlm() {
        return new ScriptedLlm();
    }

    /**
     * Writes the presets under {@code root/presets} and returns the properties of an instance using them, its state
     * directory {@code root/state}, the test keys, an L1 cache, no retries and a breaker that opens on one failure.
     */
    static List<String> properties(Path root) {
        Path presets = root.resolve("presets");
        write(presets.resolve("source/demo/chat.mda"), mda("chat", "disabled"));
        write(presets.resolve("source/demo/cached.mda"), mda("cached", "memory"));
        List<String> p = new ArrayList<>(List.of(
                "llmix.config.mode=source",
                "llmix.config.root=" + presets,
                "llmix.kill-switch.state-dir=" + root.resolve("state"),
                "llmix.cache.strategy=memory",
                "llmix.pipeline.max-retries=0",
                "llmix.pipeline.breaker.failure-threshold=1",
                "llmix.pipeline.breaker.cooldown=10m",
                "management.endpoint.health.show-details=always",
                "management.health.redis.enabled=false"));
        for (int i = 0; i < ScriptedLlm.TEST_KEYS.size(); i++) {
            p.add("llmix.keys.openai[" + i + "]=" + ScriptedLlm.TEST_KEYS.get(i));
        }
        return p;
    }

    private static String mda(String name, String caching) {
        return "---\nname: " + name + "\ndescription: Test preset " + name + ".\nmetadata:\n  snoai-llmix:\n"
                + "    common:\n      provider: openai\n      model: gpt-4\n"
                + "    caching:\n      strategy: " + caching + "\n---\n\n# " + name + "\n";
    }

    private static void write(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
