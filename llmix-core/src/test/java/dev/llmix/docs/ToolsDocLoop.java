package dev.llmix.docs;

import dev.llmix.client.CallOptions;
import dev.llmix.client.LlmixClient;
import dev.llmix.client.Message;
import dev.llmix.client.ToolHandlers;
import dev.llmix.client.ToolLoopOptions;
import dev.llmix.client.ToolLoopResult;
import java.util.List;
import java.util.Map;

class ToolsDocLoop {

    record WeatherArgs(String city) {
    }

    static String weather(LlmixClient client) {
        ToolHandlers handlers = ToolHandlers.builder()
                .add("get_weather", "Weather for a city", WeatherArgs.class,
                        args -> Map.of("city", args.city(), "celsius", 21))
                .build();

        ToolLoopResult result = client.callWithTools("chat", "assistant",
                List.of(Message.user("Weather in Paris?")), handlers, CallOptions.none(),
                ToolLoopOptions.builder().maxSteps(4).build());

        return switch (result.stopReason()) {
            case FINAL_ANSWER -> result.content();
            case MAX_STEPS, UNKNOWN_TOOL -> "gave up after " + result.steps() + " steps";
            case CALL_FAILED -> "failed: " + result.error();
        };
    }
}
