package dev.llmix.provider.http;

import dev.llmix.providers.ProviderSpecs;
import dev.llmix.config.LlmConfig;
import dev.llmix.provider.ProviderKwargs;
import dev.llmix.internal.kwargs.ProviderKwargsTransforms;
import dev.llmix.tools.Tool;
import dev.llmix.tools.ToolChoice;
import dev.llmix.tools.ToolSet;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** The {@code get_weather} tool of the tools acceptance checks and kwargs built the way the pipeline builds them. */
final class ToolsTestData {

    static final String WEATHER_PARAMS =
            "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},\"required\":[\"city\"]}";
    static final Tool GET_WEATHER = Tool.function("get_weather", "Weather for a city", WEATHER_PARAMS);
    static final Tool GET_TIME = Tool.function("get_time", "Current time");

    private ToolsTestData() {
    }

    static ToolSet tools(@Nullable ToolChoice choice, @Nullable Boolean parallel, Tool... tools) {
        return new ToolSet(List.of(tools), choice, parallel);
    }

    /** The kwargs the pipeline hands to dispatch for {@code config} with {@code tools}. */
    static Map<String, @Nullable Object> kwargs(LlmConfig config, @Nullable ToolSet tools) {
        return ProviderKwargs.build(config, List.of(), tools, ProviderSpecs.builtIn().transforms(System::getenv, Map.of()));
    }
}
