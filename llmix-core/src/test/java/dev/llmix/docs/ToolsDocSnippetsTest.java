package dev.llmix.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmix.client.LlmixClient;
import dev.llmix.config.LlmConfig;
import dev.llmix.keys.KeyPool;
import dev.llmix.pipeline.CallPipeline;
import dev.llmix.spi.LlmUsage;
import dev.llmix.pipeline.PipelineConfig;
import dev.llmix.spi.ProviderResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every Java block of docs/tools.md is one of the compiled snippet files of this package, verbatim, and runs. */
class ToolsDocSnippetsTest {

    private static final Path DOCS = Path.of("..", "docs", "tools.md");
    private static final Path SOURCES = Path.of("src", "test", "java", "dev", "llmix", "docs");
    private static final List<String> FILES = List.of("ToolsDocSingleCall.java", "ToolsDocLoop.java",
            "ToolsDocStructured.java");

    @TempDir
    Path stateDir;

    @Test
    void docBlocksAreTheCompiledSnippets() throws IOException {
        String doc = Files.readString(DOCS, StandardCharsets.UTF_8);
        Matcher m = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL).matcher(doc);
        List<String> blocks = new ArrayList<>();
        while (m.find()) {
            blocks.add(m.group(1));
        }
        List<String> files = new ArrayList<>();
        for (String f : FILES) {
            files.add(Files.readString(SOURCES.resolve(f), StandardCharsets.UTF_8));
        }
        assertThat(blocks).containsExactlyElementsOf(files);
    }

    @Test
    void snippetsRunAgainstAScriptedProvider() {
        AtomicInteger n = new AtomicInteger();
        List<Object> script = List.of(
                toolCall("call_1"), "It is 21C in Paris.",
                toolCall("call_2"), "It is 21C in Paris.",
                "{\"name\":\"Ada\",\"age\":36,\"email\":null}");
        CallPipeline pipeline = new CallPipeline(PipelineConfig.builder().stateDir(stateDir).env(name -> null)
                .build(), ctx -> {
                    Object o = script.get(n.getAndIncrement());
                    return CompletableFuture.completedFuture(o instanceof ProviderResult r ? r
                            : ProviderResult.of((String) o, "m", LlmUsage.ZERO));
                });
        try (pipeline) {
            pipeline.setKeyPool("openai", new KeyPool(List.of("k")));
            LlmixClient client = new LlmixClient(pipeline, (module, preset) -> LlmConfig.builder("openai", "m")
                    .build());
            assertThat(ToolsDocSingleCall.weather(client)).isEqualTo("It is 21C in Paris.");
            assertThat(ToolsDocLoop.weather(client)).isEqualTo("It is 21C in Paris.");
            assertThat(ToolsDocStructured.extract(client, "Ada is 36.")).isEqualTo(
                    new ToolsDocStructured.Person("Ada", 36, null));
        }
    }

    private static ProviderResult toolCall(String id) {
        return new ProviderResult("", "m", LlmUsage.ZERO, null, List.of(Map.of("id", id, "type", "function",
                "function", Map.of("name", "get_weather", "arguments", "{\"city\":\"Paris\"}"))), "tool_calls", null);
    }
}
