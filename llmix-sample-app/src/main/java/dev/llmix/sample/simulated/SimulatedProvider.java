package dev.llmix.sample.simulated;

import dev.llmix.spi.DispatchContext;
import dev.llmix.spi.DispatchFunction;
import dev.llmix.spi.LlmUsage;
import dev.llmix.spi.ProviderException;
import dev.llmix.spi.ProviderResult;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * A stand-in LLM provider that answers without any network, so that every pipeline feature can be watched offline:
 * it echoes the last user message after a configurable latency, fails with 503s at a configurable rate, keeps a
 * request budget that it reports in {@code x-ratelimit-*} headers and enforces with 429s carrying {@code retry-after},
 * and can prefix its answers with a {@code <think>} block. Offered tools, it calls the first one (see
 * {@link SimulatedTools}). Every answer says it is simulated.
 */
public final class SimulatedProvider implements DispatchFunction {

    /** Marks every simulated answer so nobody mistakes it for a model's. */
    public static final String LABEL = "[simulated]";

    private final AtomicReference<SimulatorSettings> settings;
    private final ScheduledExecutorService scheduler;
    private final RandomGenerator random;
    private final LongSupplier clock;

    private final Object budgetLock = new Object();
    private long windowStartMs;
    private int usedInWindow;

    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong answered = new AtomicLong();
    private final AtomicLong rateLimited = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();

    /**
     * @param settings  the initial behaviour
     * @param scheduler runs the delayed answers (latency is scheduled, never slept)
     * @param random    decides errors, 429s and latency
     * @param clock     epoch milliseconds, for the budget window
     */
    public SimulatedProvider(SimulatorSettings settings, ScheduledExecutorService scheduler, RandomGenerator random,
            LongSupplier clock) {
        this.settings = new AtomicReference<>(Objects.requireNonNull(settings, "settings"));
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.random = Objects.requireNonNull(random, "random");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.windowStartMs = clock.getAsLong();
    }

    /** Providers (as presets name them) the simulator currently plays as down: every request to them gets a 503. */
    private final java.util.Set<String> outages = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /**
     * Plays {@code provider} as down (every request a quick 503) or up again; the simulator answers for every
     * provider, so with a fallback chain the dashboard shows another "vendor" answering (docs/providers.md).
     */
    public void setOutage(String provider, boolean down) {
        Objects.requireNonNull(provider, "provider");
        if (down) {
            outages.add(provider);
        } else {
            outages.remove(provider);
        }
    }

    /** The providers currently played as down, sorted. */
    public java.util.SortedSet<String> outages() {
        return new java.util.TreeSet<>(outages);
    }

    /** The current behaviour. */
    public SimulatorSettings settings() {
        return settings.get();
    }

    /** Replaces the behaviour; requests already scheduled keep the outcome they drew. */
    public void update(SimulatorSettings newSettings) {
        settings.set(Objects.requireNonNull(newSettings, "newSettings"));
    }

    /** Counters since start, plus what is left of the current budget window. */
    public SimulatorStats stats() {
        SimulatorSettings s = settings.get();
        int remaining;
        synchronized (budgetLock) {
            rollWindow(s, clock.getAsLong());
            remaining = Math.max(0, s.requestsPerWindow() - usedInWindow);
        }
        return new SimulatorStats(requests.get(), answered.get(), rateLimited.get(), failed.get(), remaining,
                s.requestsPerWindow());
    }

    @Override
    public CompletionStage<ProviderResult> dispatch(DispatchContext context) {
        long number = requests.incrementAndGet();
        SimulatorSettings s = settings.get();
        long now = clock.getAsLong();
        int remaining;
        long retryAfterSeconds;
        boolean overBudget;
        synchronized (budgetLock) {
            rollWindow(s, now);
            overBudget = usedInWindow >= s.requestsPerWindow();
            if (!overBudget) {
                usedInWindow++;
            }
            remaining = Math.max(0, s.requestsPerWindow() - usedInWindow);
            long windowEnd = windowStartMs + s.windowSeconds() * 1000L;
            retryAfterSeconds = Math.max(1, (windowEnd - now + 999) / 1000);
        }
        Map<String, String> headers = Map.of(
                "x-ratelimit-limit-requests", Integer.toString(s.requestsPerWindow()),
                "x-ratelimit-remaining-requests", Integer.toString(remaining));
        long latency = s.minLatencyMs() + (s.maxLatencyMs() > s.minLatencyMs()
                ? random.nextLong(s.maxLatencyMs() - s.minLatencyMs() + 1) : 0);

        ProviderException error = null;
        if (outages.contains(context.provider())) {
            failed.incrementAndGet();
            error = new ProviderException(LABEL + " 503 Service Unavailable (" + context.provider()
                    + " is down)", 503, headers);
            latency = Math.min(latency, s.minLatencyMs());
        } else if (overBudget || random.nextDouble() < s.rateLimitRate()) {
            rateLimited.incrementAndGet();
            error = new ProviderException(LABEL + " 429 Too Many Requests: request budget of "
                    + s.requestsPerWindow() + " per " + s.windowSeconds() + " s exceeded", 429,
                    Map.of("x-ratelimit-limit-requests", Integer.toString(s.requestsPerWindow()),
                            "x-ratelimit-remaining-requests", "0",
                            "retry-after", Long.toString(retryAfterSeconds)));
            // A 429 comes back quickly: the provider refuses before doing any work.
            latency = Math.min(latency, s.minLatencyMs());
        } else if (random.nextDouble() < s.errorRate()) {
            failed.incrementAndGet();
            error = new ProviderException(LABEL + " 503 Service Unavailable (simulated outage)", 503, headers);
        }

        CompletableFuture<ProviderResult> result = new CompletableFuture<>();
        ProviderException failure = error;
        Runnable complete = () -> {
            if (failure != null) {
                result.completeExceptionally(failure);
            } else {
                answered.incrementAndGet();
                result.complete(answer(context, s, number, headers));
            }
        };
        if (latency == 0) {
            complete.run();
        } else {
            scheduler.schedule(complete, latency, TimeUnit.MILLISECONDS);
        }
        return result;
    }

    private void rollWindow(SimulatorSettings s, long now) {
        if (now - windowStartMs >= s.windowSeconds() * 1000L || now < windowStartMs) {
            windowStartMs = now;
            usedInWindow = 0;
        }
    }

    private static ProviderResult answer(DispatchContext context, SimulatorSettings s, long number,
            Map<String, String> headers) {
        ProviderResult toolTurn = SimulatedTools.answer(context, number, headers);
        if (toolTurn != null) {
            return toolTurn;
        }
        String prompt = lastUserText(context.messages());
        String quoted = prompt.length() > 200 ? prompt.substring(0, 200) + "…" : prompt;
        StringBuilder content = new StringBuilder();
        if (s.thinking()) {
            content.append("<think>The user wrote \"").append(quoted)
                    .append("\". A simulated model has nothing to think about; this block is here so you can see ")
                    .append("LLMix move it into thinkingContent.</think>\n");
        }
        content.append(LABEL).append(' ').append(context.provider()).append('/').append(context.model())
                .append(" answer #").append(number).append(": you said \"").append(quoted).append("\".");
        long inputTokens = Math.max(1, totalText(context.messages()) / 4);
        long outputTokens = Math.max(1, content.length() / 4);
        return new ProviderResult(content.toString(), context.model(),
                LlmUsage.of(inputTokens, outputTokens, inputTokens + outputTokens), headers, null);
    }

    /** The content of the last message whose role is {@code user}, or of the last message when none says so. */
    static String lastUserText(List<?> messages) {
        String last = "";
        String lastUser = null;
        for (Object message : messages) {
            String role = field(message, "role");
            String content = field(message, "content");
            last = content == null ? String.valueOf(message) : content;
            if ("user".equals(role)) {
                lastUser = last;
            }
        }
        return lastUser != null ? lastUser : last;
    }

    private static int totalText(List<?> messages) {
        int chars = 0;
        for (Object message : messages) {
            String content = field(message, "content");
            chars += content == null ? 0 : content.length();
        }
        return chars;
    }

    private static @Nullable String field(@Nullable Object message, String name) {
        if (message instanceof Map<?, ?> map) {
            Object value = map.get(name);
            return value == null ? null : String.valueOf(value);
        }
        if (message instanceof JsonNode node && node.get(name) != null) {
            JsonNode value = node.get(name);
            return value.isString() ? value.asString() : value.toString();
        }
        return null;
    }
}
