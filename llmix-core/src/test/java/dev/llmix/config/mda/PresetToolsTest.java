package dev.llmix.config.mda;

import static dev.llmix.config.mda.MdaTestSupport.assertCategory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tools acceptance check 46 (second half): presets declare neither a response format nor tools. */
class PresetToolsTest {

    @TempDir
    Path dir;

    private Path preset(String extra) throws IOException {
        Path file = dir.resolve("t.mda");
        Files.writeString(file, "---\nname: t\ndescription: d\nmetadata:\n  snoai-llmix:\n    common:\n"
                + "      provider: openai\n      model: gpt-5-mini\n" + extra.indent(4) + "---\n");
        return file;
    }

    @Test
    void aResponseFormatInTheNamespaceIsAProjectSchemaViolation() throws IOException {
        Path file = preset("responseFormat:\n  type: json_object\n");
        assertCategory(() -> MdaPresetLoader.loadMdaConfig(file), MdaErrorCategory.PROJECT_SCHEMA_VIOLATION);
    }

    @Test
    void toolsInTheNamespaceAreAProjectSchemaViolation() throws IOException {
        Path file = preset("tools:\n  - name: get_weather\n");
        assertCategory(() -> MdaPresetLoader.loadMdaConfig(file), MdaErrorCategory.PROJECT_SCHEMA_VIOLATION);
    }
}
