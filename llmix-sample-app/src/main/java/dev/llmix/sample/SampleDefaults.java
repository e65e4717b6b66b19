package dev.llmix.sample;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.util.ClassUtils;

/**
 * Start-up defaults that depend on where and how the sample runs; anything the user sets wins.
 * <ul>
 * <li>{@code llmix.config.root} points at the sample's own presets ({@code llmix-sample-app/config/llm}) whether the
 * sample is started from the repository root ({@code java -jar llmix-sample-app/target/…}) or from its module
 * directory (tests, IDEs). Without it the default lookup would find the repository root, which has no presets.</li>
 * <li>With {@code spring.data.redis.url} set and Spring Data Redis on the class path ({@code mvn -Predis …}), the kill
 * switch becomes fleet-wide ({@code llmix.kill-switch.scope=fleet}), shared by every instance on that Redis.</li>
 * </ul>
 */
class SampleDefaults implements EnvironmentPostProcessor {

    static final String CONFIG_ROOT = "llmix.config.root";
    static final String KILL_SWITCH_SCOPE = "llmix.kill-switch.scope";

    private static final List<Path> CONFIG_CANDIDATES =
            List.of(Path.of("config/llm"), Path.of("llmix-sample-app/config/llm"));
    private static final String REDIS_CONNECTION_FACTORY =
            "org.springframework.data.redis.connection.RedisConnectionFactory";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        Map<String, Object> defaults = new HashMap<>();
        if (!environment.containsProperty(CONFIG_ROOT) && !environment.containsProperty("LLMIX_CONFIG_DIR")) {
            CONFIG_CANDIDATES.stream()
                    .filter(candidate -> Files.isDirectory(candidate.resolve("source/demo")))
                    .findFirst()
                    .ifPresent(dir -> defaults.put(CONFIG_ROOT, dir.toAbsolutePath().normalize().toString()));
        }
        String redisUrl = environment.getProperty("spring.data.redis.url");
        if (redisUrl != null && !redisUrl.isBlank() && !environment.containsProperty(KILL_SWITCH_SCOPE)
                && ClassUtils.isPresent(REDIS_CONNECTION_FACTORY, application.getClassLoader())) {
            defaults.put(KILL_SWITCH_SCOPE, "fleet");
        }
        if (!defaults.isEmpty()) {
            environment.getPropertySources().addLast(new MapPropertySource("llmixSampleDefaults", defaults));
        }
    }
}
