package dev.llmix.config.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The committed fixtures/registry is exactly what {@link RegistryFixtures#build} produces, so it can be reproduced.
 * Run with {@code -Dllmix.regenerate.fixtures=true} to rewrite it after changing the builder or the sources.
 */
class RegistryFixturesTest {

    @Test
    void committedRegistryMatchesTheBuilder(@TempDir Path dir) throws IOException {
        if (Boolean.getBoolean("llmix.regenerate.fixtures")) {
            RegistryFixtures.build(RegistryFixtures.committed());
        }
        RegistryFixtures.build(dir);
        List<String> expected = files(dir);
        assertThat(files(RegistryFixtures.committed())).isEqualTo(expected);
        for (String f : expected) {
            assertThat(Files.readAllBytes(RegistryFixtures.committed().resolve(f))).as(f)
                    .isEqualTo(Files.readAllBytes(dir.resolve(f)));
        }
    }

    private static List<String> files(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).map(p -> root.relativize(p).toString().replace('\\', '/')).sorted()
                    .toList();
        }
    }
}
