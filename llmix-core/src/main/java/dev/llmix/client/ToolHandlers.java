package dev.llmix.client;

import dev.llmix.tools.Tool;
import dev.llmix.tools.ToolDefinitionException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The tools of a tool loop, each with the handler that answers its calls. Immutable; build with {@link #builder()}.
 */
public final class ToolHandlers {

    private final Map<String, Tool> tools;
    private final Map<String, ToolHandler> handlers;

    private ToolHandlers(Builder b) {
        this.tools = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(b.tools));
        this.handlers = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(b.handlers));
    }

    /** An empty builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** The tools in registration order (what the model is offered). */
    public List<Tool> tools() {
        return List.copyOf(tools.values());
    }

    /** The handler for function {@code name}, or {@code null}. */
    public @Nullable ToolHandler handler(String name) {
        return handlers.get(name);
    }

    /** The registered names in order. */
    public List<String> names() {
        return new ArrayList<>(tools.keySet());
    }

    /** Builder for {@link ToolHandlers}. */
    public static final class Builder {
        private final Map<String, Tool> tools = new LinkedHashMap<>();
        private final Map<String, ToolHandler> handlers = new LinkedHashMap<>();

        private Builder() {
        }

        /**
         * Registers {@code tool} with its handler.
         *
         * @throws ToolDefinitionException when a tool of that name is already registered
         */
        public Builder add(Tool tool, ToolHandler handler) {
            Objects.requireNonNull(tool, "tool");
            Objects.requireNonNull(handler, "handler");
            if (tools.containsKey(tool.name())) {
                throw new ToolDefinitionException("duplicate tool name \"" + tool.name() + "\"");
            }
            tools.put(tool.name(), tool);
            handlers.put(tool.name(), handler);
            return this;
        }

        /**
         * Registers a strict tool whose parameters are generated from {@code argsType}; the handler receives the
         * arguments bound to it ({@link dev.llmix.tools.ToolCall#argumentsAs(Class)}).
         */
        public <A> Builder add(String name, @Nullable String description, Class<A> argsType,
                Function<? super A, ?> fn) {
            Objects.requireNonNull(fn, "fn");
            return add(Tool.of(name, description, argsType), call -> fn.apply(call.argumentsAs(argsType)));
        }

        public ToolHandlers build() {
            if (tools.isEmpty()) {
                throw new IllegalArgumentException("a tool loop needs at least one tool");
            }
            return new ToolHandlers(this);
        }
    }
}
