package dev.llmix.config.mda;

import dev.llmix.config.mda.FileLines;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Diagnostics name the line of the file, not of the frontmatter. */
class FileLinesTest {

    private static final String PRESET = """
            ---
            name: reply
            description: Replies
            metadata:
              snoai-llmix:
                common:
                  provider: openai
                  model: gpt-4o-mini
                  temperature: 7
            ---
            body
            """;

    @Test
    void aYamlSyntaxErrorNamesTheFileLine() {
        String broken = "---\nname: reply\ndescription: [unclosed\n---\n";
        assertThatThrownBy(() -> MdaSourceLoader.load(broken.getBytes(StandardCharsets.UTF_8), "p.mda",
                MdaLoadOptions.DEFAULTS, LlmixProjectValidator.INSTANCE))
                .isInstanceOf(MdaConfigException.class)
                // 'description' is on line 3 of the file (line 2 of the frontmatter).
                .hasMessageContaining("line 3, column 14")
                .hasMessageNotContaining("line 2,");
    }

    @Test
    void aFieldPathIsFoundOnItsKeyLine() {
        assertThat(FileLines.lineOf(PRESET, "metadata.snoai-llmix.common.temperature")).isEqualTo(9);
        assertThat(FileLines.lineOf(PRESET, "description")).isEqualTo(3);
    }

    @Test
    void aMissingFieldPointsAtItsDeepestExistingParent() {
        assertThat(FileLines.lineOf(PRESET, "metadata.snoai-llmix.common.seed")).isEqualTo(6);
        assertThat(FileLines.lineOf(PRESET, "nothing")).isNull();
    }
}
