package dev.llmix.thinking;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmix.testsupport.ParitySummary;
import dev.llmix.testsupport.Vectors;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import tools.jackson.databind.JsonNode;

/** {@code thinking-strip.json}: every vector, including the ECMAScript whitespace set. */
class ThinkingStripParityTest {

    private static final String FILE = "thinking-strip.json";
    private static final int EXPECTED_VECTORS = 47;

    @TestFactory
    Stream<DynamicTest> everyVectorReproducesContentAndThinking() {
        List<JsonNode> vectors = Vectors.vectors(FILE);
        ParitySummary summary = new ParitySummary(FILE);
        Stream<DynamicTest> perVector = vectors.stream().map(v -> DynamicTest.dynamicTest(v.get("name").asString(),
                () -> {
                    String input = v.get("input").get("content").asString();
                    JsonNode expected = v.get("expected");
                    JsonNode thinking = expected.get("thinkingContent");
                    ThinkingResult result = ThinkingStripper.strip(input);
                    assertThat(result).isEqualTo(new ThinkingResult(expected.get("content").asString(),
                            thinking.isNull() ? null : thinking.asString()));
                    summary.ran();
                }));
        return Stream.concat(perVector, Stream.of(summary.allRan(FILE, EXPECTED_VECTORS)));
    }
}
