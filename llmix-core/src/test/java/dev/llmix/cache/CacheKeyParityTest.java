package dev.llmix.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmix.testsupport.ParitySummary;
import dev.llmix.testsupport.Vectors;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import tools.jackson.databind.JsonNode;

/** {@code cache-key.json}: every vector, no exceptions (parity-decisions.md), canonical text and key. */
class CacheKeyParityTest {

    private static final String FILE = "cache-key.json";
    private static final int EXPECTED_VECTORS = 176;

    @TestFactory
    Stream<DynamicTest> everyVectorReproducesCanonicalTextAndKey() {
        List<JsonNode> vectors = Vectors.vectors(FILE);
        ParitySummary summary = new ParitySummary(FILE);
        Stream<DynamicTest> perVector = vectors.stream().map(v -> DynamicTest.dynamicTest(v.get("name").asString(),
                () -> {
                    @SuppressWarnings("unchecked")
                    Map<String, ?> input = (Map<String, ?>) Vectors.decode(v.get("input"));
                    CacheKeyParams params = CacheKeyParams.fromMap(input);
                    assertThat(CacheKeys.canonical(params)).isEqualTo(v.get("expected").get("canonical").asString());
                    assertThat(CacheKeys.generate(params)).isEqualTo(v.get("expected").get("key").asString());
                    summary.ran();
                }));
        return Stream.concat(perVector, Stream.of(summary.allRan(FILE, EXPECTED_VECTORS)));
    }
}
