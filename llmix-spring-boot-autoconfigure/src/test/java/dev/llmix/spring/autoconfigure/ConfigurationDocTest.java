package dev.llmix.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** docs/configuration.md documents every property of the generated configuration metadata, with its default. */
class ConfigurationDocTest {

    private static final Path METADATA = Path.of("target/classes/META-INF/spring-configuration-metadata.json");

    private static final Path DOC = Path.of("..", "docs", "configuration.md");

    @Test
    void everyPropertyOfTheMetadataIsDocumentedWithItsDefault() throws Exception {
        JsonNode metadata = JsonMapper.builder().build().readTree(Files.readString(METADATA));
        String doc = Files.readString(DOC);

        List<String> names = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (JsonNode property : metadata.get("properties")) {
            String name = property.get("name").asString();
            names.add(name);
            String row = doc.lines().filter(l -> l.startsWith("| `" + name + "` |")).findFirst().orElse(null);
            if (row == null) {
                missing.add(name + " (no table row)");
                continue;
            }
            JsonNode dflt = property.get("defaultValue");
            String expected = dflt == null || dflt.isNull() ? null : dflt.asString();
            if (expected != null && !row.contains("| `" + expected + "` |")) {
                missing.add(name + " (default " + expected + " not in: " + row + ")");
            }
        }

        assertThat(names).hasSizeGreaterThanOrEqualTo(30).contains("llmix.cache.key-prefix", "llmix.config.root");
        assertThat(missing).isEmpty();
    }
}
