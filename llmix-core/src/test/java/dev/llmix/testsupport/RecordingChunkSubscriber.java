package dev.llmix.testsupport;

import dev.llmix.pipeline.CallChunk;
import dev.llmix.pipeline.CallResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * A test subscriber of a chunk stream: records every signal, requests {@code initialRequest} on subscribe, and lets
 * the test request more or cancel. Waits are bounded, never timed asserts.
 */
public final class RecordingChunkSubscriber implements Flow.Subscriber<CallChunk> {

    private final long initialRequest;
    private final List<CallChunk> chunks = new CopyOnWriteArrayList<>();
    private final CountDownLatch terminated = new CountDownLatch(1);
    private volatile Flow.@Nullable Subscription subscription;
    private volatile @Nullable Throwable error;
    private volatile boolean completed;
    private volatile int signalsAfterTerminal;

    /** A subscriber requesting {@code Long.MAX_VALUE} at once. */
    public RecordingChunkSubscriber() {
        this(Long.MAX_VALUE);
    }

    /** A subscriber requesting {@code initialRequest} on subscribe (0 for none). */
    public RecordingChunkSubscriber(long initialRequest) {
        this.initialRequest = initialRequest;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        subscription = s;
        if (initialRequest > 0) {
            s.request(initialRequest);
        }
    }

    @Override
    public void onNext(CallChunk chunk) {
        if (terminated.getCount() == 0) {
            signalsAfterTerminal++;
        }
        chunks.add(chunk);
    }

    @Override
    public void onError(Throwable t) {
        error = t;
        terminated.countDown();
    }

    @Override
    public void onComplete() {
        completed = true;
        terminated.countDown();
    }

    /** Requests {@code n} more chunks. */
    public void request(long n) {
        subscription().request(n);
    }

    /** Cancels the subscription. */
    public void cancel() {
        subscription().cancel();
    }

    private Flow.Subscription subscription() {
        Flow.Subscription s = subscription;
        if (s == null) {
            throw new IllegalStateException("not subscribed");
        }
        return s;
    }

    /** Waits for {@code onComplete} or {@code onError}; false if neither came within {@code timeout}. */
    public boolean awaitTerminal(Duration timeout) throws InterruptedException {
        return terminated.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Waits (bounded by 10 s) for the end and returns the {@code done} chunk's response. */
    public CallResponse awaitDone() throws InterruptedException {
        if (!awaitTerminal(Duration.ofSeconds(10))) {
            throw new AssertionError("stream did not end within 10 s; chunks so far: " + chunks);
        }
        CallChunk last = chunks.isEmpty() ? null : chunks.get(chunks.size() - 1);
        if (last == null || !last.done()) {
            throw new AssertionError("stream ended without a done chunk: " + chunks + ", error " + error);
        }
        return last.response();
    }

    /** Waits until at least {@code n} chunks arrived (bounded by 10 s). */
    public void awaitChunks(int n) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (chunks.size() < n) {
            if (System.nanoTime() > end) {
                throw new AssertionError("expected " + n + " chunks, got " + chunks);
            }
            Thread.sleep(2);
        }
    }

    /** Every chunk received, {@code done} included. */
    public List<CallChunk> chunks() {
        return new ArrayList<>(chunks);
    }

    /** The non-{@code done} chunks. */
    public List<CallChunk> deltas() {
        return chunks.stream().filter(c -> !c.done()).collect(Collectors.toList());
    }

    /** The content deltas joined. */
    public String content() {
        return deltas().stream().map(CallChunk::contentDelta).collect(Collectors.joining());
    }

    /** The thinking deltas joined. */
    public String thinking() {
        return deltas().stream().map(CallChunk::thinkingDelta).collect(Collectors.joining());
    }

    /** The error signalled, if any. */
    public @Nullable Throwable error() {
        return error;
    }

    /** Whether {@code onComplete} came. */
    public boolean completed() {
        return completed;
    }

    /** Signals that arrived after a terminal signal (must stay 0). */
    public int signalsAfterTerminal() {
        return signalsAfterTerminal;
    }
}
