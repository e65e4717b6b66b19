package dev.llmix.docs;

import dev.llmix.client.CallOptions;
import dev.llmix.client.LlmixClient;
import dev.llmix.client.Message;
import dev.llmix.pipeline.CallResponse;
import dev.llmix.tools.Tool;
import dev.llmix.tools.ToolCall;
import dev.llmix.tools.ToolChoice;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

class ToolsDocSingleCall {

    static String weather(LlmixClient client) {
        Tool getWeather = Tool.function("get_weather", "Weather for a city",
                "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},\"required\":[\"city\"]}");
        CallOptions options = CallOptions.builder().tools(getWeather).toolChoice(ToolChoice.auto()).build();
        List<Object> messages = new ArrayList<>(List.of(Message.user("Weather in Paris?")));

        CallResponse first = client.call("chat", "assistant", messages, options);
        if (!first.hasToolCalls()) {
            return first.content();
        }
        messages.add(Message.assistant(first)); // keeps ids and provider continuation data
        for (ToolCall call : first.toolCalls()) {
            Map<String, Object> args = call.argumentsAsMap();
            messages.add(Message.toolResult(call, "21C and sunny in " + args.get("city")));
        }
        return client.call("chat", "assistant", messages, options).content();
    }
}
