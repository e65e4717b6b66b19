package dev.llmix.sample.web;

import dev.llmix.sample.simulated.SimulatedProvider;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.env.Environment;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /api/info}: what the dashboard needs to set itself up (simulated or real provider, preset names). */
@RestController
public class InfoController {

    /**
     * The dashboard's start-up facts.
     *
     * @param simulated  whether the simulated provider answers the calls
     * @param presets    every {@code <module>/<preset>} found under {@code <llmix.config.root>/source}
     * @param chatPreset the preset the chat box starts with
     * @param loadPreset the preset the load button starts with
     */
    public record Info(boolean simulated, List<String> presets, String chatPreset, String loadPreset) {
    }

    private final boolean simulated;
    private final Environment environment;

    InfoController(ObjectProvider<SimulatedProvider> simulated, Environment environment) {
        this.simulated = simulated.getIfAvailable() != null;
        this.environment = environment;
    }

    @GetMapping("/api/info")
    Info info() {
        return new Info(simulated, presets(), "demo/chat", "demo/fresh");
    }

    private List<String> presets() {
        Path source = Path.of(environment.getProperty("llmix.config.root", "config/llm")).resolve("source");
        if (!Files.isDirectory(source)) {
            return List.of("demo/chat", "demo/fresh", "demo/thinking");
        }
        try (Stream<Path> files = Files.walk(source, 2)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".mda") && f.getParent() != null
                            && !f.getParent().equals(source))
                    .map(f -> f.getParent().getFileName() + "/" + f.getFileName().toString().replaceFirst("\\.mda$", ""))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
