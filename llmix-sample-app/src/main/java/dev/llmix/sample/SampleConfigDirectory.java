package dev.llmix.sample;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Points {@code llmix.config.root} at the sample's own presets ({@code llmix-sample-app/config/llm}) whether the sample
 * is started from the repository root ({@code java -jar llmix-sample-app/target/…}) or from its module directory (tests,
 * IDEs). Without it the default lookup would find the repository root and its (absent) {@code config/llm}. Anything
 * the user sets ({@code llmix.config.root}, {@code LLMIX_CONFIG_DIR}) wins.
 */
class SampleConfigDirectory implements EnvironmentPostProcessor {

    static final String PROPERTY = "llmix.config.root";

    private static final List<Path> CANDIDATES = List.of(Path.of("config/llm"), Path.of("llmix-sample-app/config/llm"));

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (environment.containsProperty(PROPERTY) || environment.containsProperty("LLMIX_CONFIG_DIR")) {
            return;
        }
        for (Path candidate : CANDIDATES) {
            if (Files.isDirectory(candidate.resolve("source/demo"))) {
                environment.getPropertySources().addLast(new MapPropertySource("sampleConfigDirectory",
                        Map.of(PROPERTY, candidate.toAbsolutePath().normalize().toString())));
                return;
            }
        }
    }
}
