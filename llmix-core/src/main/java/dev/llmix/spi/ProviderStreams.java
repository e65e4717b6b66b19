package dev.llmix.spi;

import dev.llmix.internal.ReplaySubscription;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import org.jspecify.annotations.Nullable;

/**
 * Ready-made {@link ProviderStreamEvent} publishers: a non-streamed result replayed as events (the fallback the
 * pipeline uses for a dispatch that cannot stream), and a fixed sequence of events for tests and simulators.
 */
public final class ProviderStreams {

    private ProviderStreams() {
    }

    /**
     * The events of a non-streamed result: {@code Opened}, {@code Model}, one {@code TextDelta} with the whole
     * content (when non-empty), one complete {@code ToolCallFragment} per OpenAI-shaped tool call, {@code Usage};
     * a failed stage becomes {@code onError}. Cold: the stage is awaited per subscription.
     */
    public static Flow.Publisher<ProviderStreamEvent> fromResult(CompletionStage<ProviderResult> stage) {
        Objects.requireNonNull(stage, "stage");
        return subscriber -> {
            Objects.requireNonNull(subscriber, "subscriber");
            ReplaySubscription<ProviderStreamEvent> replay = new ReplaySubscription<>(subscriber);
            subscriber.onSubscribe(replay);
            stage.whenComplete((result, error) -> {
                if (error != null || result == null) {
                    replay.fail(error != null ? unwrap(error)
                            : new NullPointerException("DispatchFunction completed with a null ProviderResult"));
                } else {
                    replay.ready(eventsOf(result));
                }
            });
        };
    }

    /** A publisher of exactly these events, then {@code onComplete}; each subscription replays them. */
    public static Flow.Publisher<ProviderStreamEvent> of(ProviderStreamEvent... events) {
        List<ProviderStreamEvent> list = List.of(events);
        return subscriber -> {
            Objects.requireNonNull(subscriber, "subscriber");
            ReplaySubscription<ProviderStreamEvent> replay = new ReplaySubscription<>(subscriber);
            subscriber.onSubscribe(replay);
            replay.ready(list);
        };
    }

    /** The events {@link #fromResult} publishes for a successful {@code result}. */
    public static List<ProviderStreamEvent> eventsOf(ProviderResult result) {
        List<ProviderStreamEvent> events = new ArrayList<>();
        Map<String, String> headers = result.headers();
        events.add(new ProviderStreamEvent.Opened(headers == null ? Map.of() : headers));
        events.add(new ProviderStreamEvent.Model(result.model()));
        if (!result.content().isEmpty()) {
            events.add(new ProviderStreamEvent.TextDelta(result.content()));
        }
        List<@Nullable Object> calls = result.toolCalls();
        if (calls != null) {
            int index = 0;
            for (Object call : calls) {
                events.add(fragmentOf(index++, call));
            }
        }
        events.add(new ProviderStreamEvent.Usage(result.usage()));
        return events;
    }

    @SuppressWarnings("unchecked")
    private static ProviderStreamEvent.ToolCallFragment fragmentOf(int index, @Nullable Object call) {
        if (!(call instanceof Map<?, ?> map) || !(map.get("function") instanceof Map<?, ?> function)) {
            throw new IllegalArgumentException("dispatch returned a tool call that is not OpenAI-shaped: "
                    + (call == null ? "null" : call.getClass().getName()));
        }
        Object arguments = function.get("arguments");
        Object extra = map.get("extra_content");
        return new ProviderStreamEvent.ToolCallFragment(index,
                map.get("id") instanceof String id ? id : null,
                function.get("name") instanceof String name ? name : null,
                arguments instanceof String a ? a : "",
                extra instanceof Map<?, ?> e ? (Map<String, @Nullable Object>) e : null);
    }

    private static Throwable unwrap(Throwable t) {
        Throwable cur = t;
        while ((cur instanceof java.util.concurrent.CompletionException
                || cur instanceof java.util.concurrent.ExecutionException) && cur.getCause() != null) {
            cur = cur.getCause();
        }
        return cur;
    }
}
