package dev.llmix.fleetit;

import dev.llmix.client.CallOptions;
import dev.llmix.client.LlmixClient;
import dev.llmix.client.Message;
import dev.llmix.fleet.FleetRuntime;
import dev.llmix.fleet.FleetStatus;
import dev.llmix.pipeline.CallFailure;
import dev.llmix.pipeline.CallResponse;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /it/load} offers calls at a steady rate for a while; {@code GET /it/stats} reports, per load, how many
 * were dispatched and how the failed ones failed, plus this instance's view of the fleet's Redis.
 */
@RestController
public class LoadController {

    /**
     * A steady load.
     *
     * @param name       the name its counters are reported under
     * @param module     preset module
     * @param preset     preset name
     * @param baseUrl    base URL every call names (the fake provider tells instances apart by path)
     * @param rate       calls offered per second, 1 … 1000
     * @param durationMs how long to offer them
     */
    public record LoadRequest(String name, String module, String preset, String baseUrl, int rate, long durationMs) {

        public LoadRequest {
            if (rate < 1 || rate > 1000 || durationMs < 1) {
                throw new IllegalArgumentException("rate must be 1..1000 and durationMs positive");
            }
        }
    }

    /**
     * Counters of one load.
     *
     * @param dispatched  calls started
     * @param succeeded   calls answered
     * @param failures    failed calls by class (the failure type; {@code BUDGET} for a rate-budget wait that ran out of
     *                    time; {@code REDIS} for any failure whose text names Redis)
     * @param examples    one failure message per class
     * @param running     whether calls are still being offered
     */
    public record LoadStats(long dispatched, long succeeded, Map<String, Long> failures, Map<String, String> examples,
            boolean running) {
    }

    /**
     * This instance's fleet view.
     *
     * @param healthy      Redis usable now
     * @param sinceEpochMs when {@code healthy} last changed
     * @param members      live members last read
     * @param lastError    class name of the last Redis failure
     */
    public record FleetView(boolean healthy, long sinceEpochMs, int members, @Nullable String lastError) {
    }

    /**
     * Everything {@code GET /it/stats} reports.
     *
     * @param loads per load name
     * @param fleet the fleet view, null without a fleet runtime
     */
    public record Stats(Map<String, LoadStats> loads, @Nullable FleetView fleet) {
    }

    private static final class Load {
        final AtomicLong dispatched = new AtomicLong();
        final AtomicLong succeeded = new AtomicLong();
        final Map<String, AtomicLong> failures = new ConcurrentHashMap<>();
        final Map<String, String> examples = new ConcurrentHashMap<>();
        volatile @Nullable ScheduledFuture<?> task;
        volatile boolean running = true;

        void record(@Nullable CallResponse response, @Nullable Throwable error) {
            if (response != null && response.success()) {
                succeeded.incrementAndGet();
                return;
            }
            String text;
            String kind;
            if (response != null) {
                text = String.valueOf(response.error());
                kind = response.failure().map(CallFailure::type).map(Enum::name).orElse("UNKNOWN");
            } else {
                text = String.valueOf(error);
                kind = "EXCEPTION_" + (error == null ? "null" : error.getClass().getSimpleName());
            }
            String lower = text.toLowerCase(Locale.ROOT);
            if (lower.contains("redis") || lower.contains("lettuce")) {
                kind = "REDIS";
            } else if (lower.contains("waiting for rate budget")) {
                kind = "BUDGET";
            }
            failures.computeIfAbsent(kind, k -> new AtomicLong()).incrementAndGet();
            examples.putIfAbsent(kind, text);
        }

        LoadStats stats() {
            Map<String, Long> byClass = new TreeMap<>();
            failures.forEach((k, v) -> byClass.put(k, v.get()));
            return new LoadStats(dispatched.get(), succeeded.get(), byClass, new TreeMap<>(examples), running);
        }
    }

    private final LlmixClient llmix;
    private final ObjectProvider<FleetRuntime> fleet;
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "it-load");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, Load> loads = new ConcurrentHashMap<>();

    LoadController(LlmixClient llmix, ObjectProvider<FleetRuntime> fleet) {
        this.llmix = llmix;
        this.fleet = fleet;
    }

    @PostMapping("/it/load")
    LoadStats load(@RequestBody LoadRequest request) {
        llmix.preset(request.module(), request.preset()); // an unknown preset fails here
        Load load = new Load();
        Load previous = loads.put(request.name(), load);
        if (previous != null && previous.task != null) {
            previous.task.cancel(false);
        }
        CallOptions options = CallOptions.builder().baseUrl(request.baseUrl()).build();
        long periodNanos = TimeUnit.SECONDS.toNanos(1) / request.rate();
        long endNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(request.durationMs());
        AtomicLong seq = new AtomicLong();
        load.task = ticker.scheduleAtFixedRate(() -> {
            if (System.nanoTime() - endNanos >= 0) {
                load.running = false;
                ScheduledFuture<?> self = load.task;
                if (self != null) {
                    self.cancel(false);
                }
                return;
            }
            List<Message> messages = List.of(Message.user(request.name() + " call " + seq.incrementAndGet()));
            load.dispatched.incrementAndGet();
            try {
                llmix.callAsync(request.module(), request.preset(), messages, options).whenComplete(load::record);
            } catch (RuntimeException e) {
                load.record(null, e);
            }
        }, 0, periodNanos, TimeUnit.NANOSECONDS);
        return load.stats();
    }

    @GetMapping("/it/stats")
    Stats stats() {
        Map<String, LoadStats> byName = new TreeMap<>();
        loads.forEach((name, load) -> byName.put(name, load.stats()));
        FleetRuntime runtime = fleet.getIfAvailable();
        FleetView view = null;
        if (runtime != null) {
            FleetStatus s = runtime.status();
            view = new FleetView(s.healthy(), s.since().toEpochMilli(), s.members(), s.lastError());
        }
        return new Stats(byName, view);
    }
}
