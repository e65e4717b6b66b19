package dev.llmix.tools;

import dev.llmix.internal.tools.ToolMessages;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmix.client.CallOptions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Tools acceptance checks 2, 4, 27–29 and 31: definitions, choices, call arguments and bad input. */
class ToolDefinitionTest {

    private static final String WEATHER_PARAMS =
            "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},\"required\":[\"city\"]}";
    private static final Tool GET_WEATHER = Tool.function("get_weather", "Weather for a city", WEATHER_PARAMS);

    @Test
    void wireFormOmitsAbsentMembers() {
        assertThat(Tool.function("ping", null).toWire())
                .isEqualTo(Map.of("type", "function", "function", Map.of("name", "ping")));
        assertThat(GET_WEATHER.toWire().get("function")).isEqualTo(Map.of("name", "get_weather",
                "description", "Weather for a city", "parameters", Map.of("type", "object", "properties",
                        Map.of("city", Map.of("type", "string")), "required", List.of("city"))));
    }

    @Test
    void aStrictToolWithoutParametersUsesTheEmptyClosedObject() {
        Tool ping = Tool.function("ping", null).withStrict(true);
        assertThat(ping.toWire().get("function")).isEqualTo(Map.of("name", "ping", "parameters", Map.of("type",
                "object", "properties", Map.of(), "required", List.of(), "additionalProperties", false),
                "strict", true));
    }

    // 4
    @Test
    void strictRejectsAnOpenSchemaNamingThePointer() {
        assertThatThrownBy(() -> GET_WEATHER.withStrict(true))
                .isInstanceOf(ToolDefinitionException.class)
                .hasMessage("tool \"get_weather\" cannot be strict: additionalProperties must be false at /");
        Tool nested = Tool.function("n", null, Map.of("type", "object", "additionalProperties", false,
                "required", List.of("a"), "properties", Map.of("a", Map.of("type", "object",
                        "additionalProperties", false, "properties", Map.of("b", Map.of("type", "string"))))));
        assertThatThrownBy(() -> nested.withStrict(true))
                .hasMessageEndingWith("property \"b\" must be listed in required at /properties/a");
    }

    // 2
    @Test
    void choicesHaveTheirWireForms() {
        assertThat(ToolChoice.auto().toWire()).isEqualTo("auto");
        assertThat(ToolChoice.none().toWire()).isEqualTo("none");
        assertThat(ToolChoice.required().toWire()).isEqualTo("required");
        assertThat(ToolChoice.function("get_weather").toWire())
                .isEqualTo(Map.of("type", "function", "function", Map.of("name", "get_weather")));
    }

    // 27
    @Test
    void invalidNamesAndDuplicatesAreRejected() {
        for (String bad : List.of("get weather", "", "x".repeat(65))) {
            assertThatThrownBy(() -> Tool.function(bad, null))
                    .isInstanceOf(ToolDefinitionException.class)
                    .hasMessage("invalid tool name \"" + bad + "\": use 1-64 characters a-z, A-Z, 0-9, _ or -");
        }
        assertThat(Tool.function("x".repeat(64), null).name()).hasSize(64);
        assertThatThrownBy(() -> CallOptions.builder().tools(Tool.function("a", null), Tool.function("a", "again"))
                .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("duplicate tool name \"a\"");
    }

    // 28
    @Test
    void parametersMustBeAnObjectSchemaAndNameTheTool() {
        assertThatThrownBy(() -> Tool.function("t", null, "[1]"))
                .isInstanceOf(ToolDefinitionException.class)
                .hasMessage("parameters of tool \"t\" must be a JSON Schema with \"type\": \"object\"");
        assertThatThrownBy(() -> Tool.function("t", null, "{\"type\":\"string\"}"))
                .isInstanceOf(ToolDefinitionException.class)
                .hasMessage("parameters of tool \"t\" must be a JSON Schema with \"type\": \"object\"");
        assertThatThrownBy(() -> Tool.function("t", null, "{bad"))
                .isInstanceOf(ToolDefinitionException.class)
                .hasMessageStartingWith("parameters of tool \"t\" are not valid JSON: ");
    }

    // 29
    @Test
    void choicesAndProviderOptionsAreCheckedAtBuild() {
        assertThatThrownBy(() -> CallOptions.builder().tools(GET_WEATHER, Tool.function("b", null))
                .toolChoice(ToolChoice.function("missing")).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("tool_choice names unknown tool \"missing\"; tools are [get_weather, b]");
        assertThatThrownBy(() -> CallOptions.builder().toolChoice(ToolChoice.auto()).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("toolChoice/parallelToolCalls require at least one tool");
        assertThatThrownBy(() -> CallOptions.builder().parallelToolCalls(false).tools(List.of()).build())
                .hasMessage("toolChoice/parallelToolCalls require at least one tool");
        assertThatThrownBy(() -> CallOptions.builder()
                .providerOptions(Map.of("openai", Map.of("tools", List.of(GET_WEATHER.toWire())))).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("providerOptions.openai.tools is not supported; use CallOptions.tools()/toolChoice()");
        assertThatThrownBy(() -> CallOptions.builder()
                .providerOptions(Map.of("google", Map.of("toolConfig", Map.of()))).build())
                .hasMessage("providerOptions.google.toolConfig is not supported; use CallOptions.tools()/toolChoice()");
    }

    @Test
    void optionsExposeTheToolSetWithoutChangingThePreset() {
        CallOptions options = CallOptions.builder().tools(GET_WEATHER).toolChoice(ToolChoice.required())
                .parallelToolCalls(false).build();
        assertThat(options.toolSet()).isEqualTo(new ToolSet(List.of(GET_WEATHER), ToolChoice.required(), false));
        assertThat(options.isEmpty()).isTrue();
        assertThat(CallOptions.builder().tools(List.of()).build().toolSet()).isNull();
    }

    // 31
    @Test
    void argumentsThatAreNotAJsonObjectAreTypedErrors() {
        ToolCall bad = ToolCall.of("call_1", "get_weather", "{bad");
        assertThatThrownBy(bad::argumentsAsMap)
                .isInstanceOfSatisfying(ToolArgumentsException.class, e -> {
                    assertThat(e.toolName()).isEqualTo("get_weather");
                    assertThat(e.toolCallId()).isEqualTo("call_1");
                    assertThat(e.rawArguments()).isEqualTo("{bad");
                })
                .hasMessageStartingWith("arguments of tool call \"call_1\" (get_weather) are not valid JSON: ");
        assertThatThrownBy(() -> ToolCall.of("call_2", "x", "[1]").argumentsAsMap())
                .isInstanceOf(ToolArgumentsException.class)
                .hasMessage("arguments of tool call \"call_2\" (x) are not valid JSON: not a JSON object");
    }

    record City(String city) {
    }

    @Test
    void argumentsBindStrictlyToARecord() {
        assertThat(ToolCall.of("c", "get_weather", "{\"city\":\"Paris\"}").argumentsAs(City.class))
                .isEqualTo(new City("Paris"));
        assertThatThrownBy(() -> ToolCall.of("c", "get_weather", "{\"city\":\"Paris\",\"x\":1}")
                .argumentsAs(City.class)).isInstanceOf(ToolArgumentsException.class);
    }

    @Test
    void toolCallMapRoundTrips() {
        ToolCall call = new ToolCall("call_1", "get_weather", "{}", Map.of("google", Map.of("thought_signature",
                "s")));
        assertThat(call.toMap()).isEqualTo(Map.of("id", "call_1", "type", "function", "function",
                Map.of("name", "get_weather", "arguments", "{}"), "extra_content",
                Map.of("google", Map.of("thought_signature", "s"))));
        assertThat(ToolCall.fromMap(call.toMap())).isEqualTo(call);
    }

    @Test
    void historyRulesNameTheOffendingMessage() {
        Map<String, Object> call = Map.of("id", "call_1", "type", "function", "function",
                Map.of("name", "lookup", "arguments", "{}"));
        Map<String, Object> call2 = Map.of("id", "call_2", "type", "function", "function",
                Map.of("name", "lookup", "arguments", "{}"));
        Map<String, Object> user = Map.of("role", "user", "content", "hi");
        Map<String, Object> assistant = Map.of("role", "assistant", "tool_calls", List.of(call, call2));
        Map<String, Object> result1 = Map.of("role", "tool", "tool_call_id", "call_1", "content", "ok");
        Map<String, Object> stray = Map.of("role", "tool", "tool_call_id", "x", "content", "ok");

        assertThatThrownBy(() -> ToolMessages.validate(List.of(user, assistant, result1, stray)))
                .hasMessage("tool message at index 3 answers unknown tool call id \"x\"");
        assertThatThrownBy(() -> ToolMessages.validate(List.of(assistant, result1)))
                .hasMessage("tool call \"call_2\" (lookup) at index 0 has no tool result");
        assertThatThrownBy(() -> ToolMessages.validate(List.of(Map.of("role", "assistant", "tool_calls",
                List.of(call, call)))))
                .hasMessageContaining("repeats");
    }
}
