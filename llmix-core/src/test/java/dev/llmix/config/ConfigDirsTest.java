package dev.llmix.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** mda-presets.md §11.1 and check 15.4.12. */
class ConfigDirsTest {

    @Test
    void environmentVariableResolvesAgainstTheProjectRoot() {
        ConfigDirs.Resolved r = ConfigDirs.resolve(null, Path.of("/tmp/x"),
                LlmixTestEnv.of("LLMIX_CONFIG_DIR", "custom/llm"));
        assertThat(r.configDir()).isEqualTo(Path.of("/tmp/x/custom/llm"));
        assertThat(r.source()).isEqualTo(ConfigDirs.Source.ENV);
    }

    @Test
    void explicitDirectoryWinsOverTheVariable() {
        ConfigDirs.Resolved r = ConfigDirs.resolve(Path.of("/opt/llm"), Path.of("/tmp/x"),
                LlmixTestEnv.of("LLMIX_CONFIG_DIR", "custom/llm"));
        assertThat(r.configDir()).isEqualTo(Path.of("/opt/llm"));
        assertThat(r.source()).isEqualTo(ConfigDirs.Source.EXPLICIT);
    }

    @Test
    void defaultIsConfigLlmUnderTheProjectRoot() {
        ConfigDirs.Resolved r = ConfigDirs.resolve(null, Path.of("/tmp/x"), LlmixTestEnv.of("LLMIX_CONFIG_DIR", " "));
        assertThat(r.configDir()).isEqualTo(Path.of("/tmp/x/config/llm"));
        assertThat(r.source()).isEqualTo(ConfigDirs.Source.DEFAULT);
    }

    @Test
    void absoluteVariableAndHomeExpansion() {
        assertThat(ConfigDirs.resolve(null, Path.of("/tmp/x"), LlmixTestEnv.of("LLMIX_CONFIG_DIR", "/etc/llm"))
                .configDir()).isEqualTo(Path.of("/etc/llm"));
        assertThat(ConfigDirs.resolve(Path.of("~/llm"), null, LlmixTestEnv.of()).configDir())
                .isEqualTo(Path.of(System.getProperty("user.home"), "llm"));
    }

    @Test
    void projectRootPrefersAMonorepoRootThenTheClosestLockfile(@TempDir Path dir) throws IOException {
        Path repo = dir.resolve("repo");
        Path module = repo.resolve("service/src");
        Files.createDirectories(module);
        Files.writeString(repo.resolve("pom.xml"), "<project><modules><module>service</module></modules></project>");
        Files.writeString(repo.resolve("service/pom.xml"), "<project/>");
        assertThat(ConfigDirs.findProjectRoot(module)).isEqualTo(repo);
        Files.delete(repo.resolve("pom.xml"));
        Files.writeString(repo.resolve("mvnw"), "");
        assertThat(ConfigDirs.findProjectRoot(module)).isEqualTo(repo);
        Files.delete(repo.resolve("mvnw"));
        assertThat(ConfigDirs.findProjectRoot(module)).isEqualTo(repo.resolve("service"));
    }
}
