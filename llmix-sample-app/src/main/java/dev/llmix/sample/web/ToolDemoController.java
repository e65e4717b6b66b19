package dev.llmix.sample.web;

import dev.llmix.client.LlmixClient;
import dev.llmix.client.Message;
import dev.llmix.client.ToolExecution;
import dev.llmix.client.ToolHandlers;
import dev.llmix.client.ToolLoopResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /api/tools/weather}: a tool loop ({@link LlmixClient#callWithTools}) with one {@code get_weather} tool
 * answered by a canned local handler; returns the stop reason, the final answer, the transcript and each tool run.
 */
@RestController
public class ToolDemoController {

    /**
     * A tool demo request.
     *
     * @param module   preset module, e.g. {@code demo}
     * @param preset   preset name, e.g. {@code chat}
     * @param question the user's question, e.g. {@code What is the weather in Paris?}
     */
    public record ToolDemoRequest(String module, String preset, String question) {

        public ToolDemoRequest {
            if (module == null || module.isBlank() || preset == null || preset.isBlank()) {
                throw new IllegalArgumentException("module and preset are required");
            }
            if (question == null || question.isBlank()) {
                throw new IllegalArgumentException("question must not be blank");
            }
        }
    }

    /** The arguments of {@code get_weather}. */
    record WeatherArgs(String city) {
    }

    private final LlmixClient llmix;
    private final ToolHandlers handlers = ToolHandlers.builder()
            .add("get_weather", "Current weather for a city", WeatherArgs.class, ToolDemoController::weather)
            .build();

    ToolDemoController(LlmixClient llmix) {
        this.llmix = llmix;
    }

    /** A made-up but stable forecast: the demo shows the loop, not meteorology. */
    private static Map<String, Object> weather(WeatherArgs args) {
        int celsius = 12 + Math.floorMod(args.city().hashCode(), 15);
        return Map.of("city", args.city(), "celsius", celsius, "sky", celsius > 20 ? "sunny" : "cloudy");
    }

    @PostMapping("/api/tools/weather")
    Map<String, Object> weather(@RequestBody ToolDemoRequest request) {
        ToolLoopResult r = llmix.callWithTools(request.module(), request.preset(),
                List.of(Message.user(request.question())), handlers);
        List<Map<String, Object>> runs = new ArrayList<>();
        for (ToolExecution e : r.executions()) {
            runs.add(Map.of("step", e.step(), "tool", e.call().name(), "arguments", e.call().arguments(),
                    "result", e.content(), "error", e.isError()));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("stopReason", r.stopReason().name());
        out.put("steps", r.steps());
        out.put("content", r.content());
        out.put("error", r.error());
        out.put("executions", runs);
        out.put("messages", r.messages());
        out.put("usage", r.usage());
        return out;
    }
}
