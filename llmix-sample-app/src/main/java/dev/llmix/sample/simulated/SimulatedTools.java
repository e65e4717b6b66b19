package dev.llmix.sample.simulated;

import dev.llmix.spi.DispatchContext;
import dev.llmix.spi.LlmUsage;
import dev.llmix.spi.ProviderResult;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * How the simulated provider plays a tool-calling model: offered tools and not yet answered by a tool result, it calls
 * {@code get_weather} (or the first tool) with a {@code city} taken from the prompt; after tool results it answers
 * with what the tools returned. The calls are OpenAI-shaped, like every adapter's.
 */
final class SimulatedTools {

    private static final Pattern CITY = Pattern.compile("\\bin ([A-Z][\\p{L}-]+(?: [A-Z][\\p{L}-]+)?)");

    private SimulatedTools() {
    }

    /** The tool-calling turn for {@code context}, or {@code null} when no tools were offered. */
    static @Nullable ProviderResult answer(DispatchContext context, long number, Map<String, String> headers) {
        if (!(context.kwargs().get("tools") instanceof List<?> tools) || tools.isEmpty()
                || "none".equals(context.kwargs().get("tool_choice"))) {
            return null;
        }
        List<?> messages = context.messages();
        Object last = messages.isEmpty() ? null : messages.get(messages.size() - 1);
        if (last instanceof Map<?, ?> m && "tool".equals(m.get("role"))) {
            StringBuilder text = new StringBuilder(SimulatedProvider.LABEL).append(' ').append(context.provider())
                    .append('/').append(context.model()).append(" answer #").append(number).append(": the tools said");
            for (int i = messages.size() - 1; i >= 0 && messages.get(i) instanceof Map<?, ?> t
                    && "tool".equals(t.get("role")); i--) {
                text.append(' ').append(t.get("name")).append(" → ").append(t.get("content")).append(';');
            }
            return new ProviderResult(text.toString(), context.model(), LlmUsage.of(20, 20, 40), headers, null,
                    "stop", null);
        }
        String name = toolName(tools);
        String prompt = SimulatedProvider.lastUserText(messages);
        Matcher city = CITY.matcher(prompt);
        String args = "{\"city\":\"" + (city.find() ? city.group(1) : "Paris") + "\"}";
        Map<String, Object> call = Map.of("id", "call_sim_" + number, "type", "function",
                "function", Map.of("name", name, "arguments", args));
        return new ProviderResult("", context.model(), LlmUsage.of(20, 10, 30), headers, List.of(call), "tool_calls",
                null);
    }

    private static String toolName(List<?> tools) {
        String first = null;
        for (Object t : tools) {
            if (t instanceof Map<?, ?> tool && tool.get("function") instanceof Map<?, ?> fn
                    && fn.get("name") instanceof String n) {
                if (n.toLowerCase(Locale.ROOT).contains("weather")) {
                    return n;
                }
                first = first == null ? n : first;
            }
        }
        return first == null ? "unknown" : first;
    }
}
