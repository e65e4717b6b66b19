package dev.llmix.sample.web;

import dev.llmix.client.LlmixClient;
import dev.llmix.client.Message;
import dev.llmix.pipeline.CallResponse;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * {@code /api/load}: fires N concurrent, distinct calls (so neither the cache nor singleflight absorbs them) and
 * reports their progress, so the dashboard can show the limiter, the 429s and the breaker reacting.
 */
@RestController
public class LoadController {

    /** Upper bound of one burst. */
    static final int MAX_CALLS = 2000;

    /**
     * A burst request.
     *
     * @param module preset module
     * @param preset preset name; an uncached one makes every call reach the provider
     * @param count  number of concurrent calls, 1 … 2000
     */
    public record LoadRequest(String module, String preset, int count) {

        public LoadRequest {
            if (module == null || module.isBlank() || preset == null || preset.isBlank()) {
                throw new IllegalArgumentException("module and preset are required");
            }
            if (count < 1 || count > MAX_CALLS) {
                throw new IllegalArgumentException("count must be between 1 and " + MAX_CALLS + ", got " + count);
            }
        }
    }

    /**
     * Progress of the latest burst.
     *
     * @param running   whether calls are still outstanding
     * @param requested calls fired
     * @param completed calls finished
     * @param succeeded calls that returned content
     * @param failed    calls that returned an error
     * @param elapsedMs time since the burst started (until its end once finished)
     * @param lastError the latest error message, if any
     */
    public record LoadStatus(boolean running, int requested, int completed, int succeeded, int failed, long elapsedMs,
            @Nullable String lastError) {
    }

    private static final class Run {
        final int requested;
        final long startedNanos = System.nanoTime();
        final AtomicInteger succeeded = new AtomicInteger();
        final AtomicInteger failed = new AtomicInteger();
        final AtomicLong finishedNanos = new AtomicLong();
        final AtomicReference<@Nullable String> lastError = new AtomicReference<>();

        Run(int requested) {
            this.requested = requested;
        }

        void record(@Nullable CallResponse response, @Nullable Throwable error) {
            if (response != null && response.success()) {
                succeeded.incrementAndGet();
            } else {
                failed.incrementAndGet();
                lastError.set(response != null ? response.error() : String.valueOf(error));
            }
            if (succeeded.get() + failed.get() == requested) {
                finishedNanos.set(System.nanoTime());
            }
        }

        LoadStatus status() {
            int completed = succeeded.get() + failed.get();
            long end = completed == requested ? finishedNanos.get() : System.nanoTime();
            return new LoadStatus(completed < requested, requested, completed, succeeded.get(), failed.get(),
                    Math.max(0, (end - startedNanos) / 1_000_000), lastError.get());
        }
    }

    private static final AtomicLong BURSTS = new AtomicLong();

    private final LlmixClient llmix;
    private final AtomicReference<@Nullable Run> current = new AtomicReference<>();

    LoadController(LlmixClient llmix) {
        this.llmix = llmix;
    }

    @PostMapping("/api/load")
    LoadStatus fire(@RequestBody LoadRequest request) {
        Run previous = current.get();
        if (previous != null && previous.status().running()) {
            throw new ResponseStatusException(HttpStatus.CONFLICT, "A load burst is still running");
        }
        llmix.preset(request.module(), request.preset()); // unknown presets fail here, before anything is fired
        Run run = new Run(request.count());
        current.set(run);
        long burst = BURSTS.incrementAndGet();
        for (int i = 1; i <= request.count(); i++) {
            List<Message> messages = List.of(Message.user("Load burst " + burst + ", call " + i + " of "
                    + request.count() + ": say something short."));
            CompletableFuture<CallResponse> call = llmix.callAsync(request.module(), request.preset(), messages);
            call.whenComplete(run::record);
        }
        return run.status();
    }

    @GetMapping("/api/load")
    LoadStatus status() {
        Run run = current.get();
        return run == null ? new LoadStatus(false, 0, 0, 0, 0, 0, null) : run.status();
    }
}
