package dev.llmix.provider.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Collects a response body up to a byte limit. Over the limit it either fails (success bodies: a truncated JSON answer
 * is useless) or stops reading and keeps what it has (error bodies: only a bounded summary is needed). Either way the
 * subscription is cancelled, so the connection is dropped instead of draining an unbounded stream into memory.
 */
final class BoundedBodySubscriber implements HttpResponse.BodySubscriber<byte[]> {

    /** Thrown (as the body's failure) when a success body exceeds the limit. */
    static final class TooLargeException extends IOException {
        private static final long serialVersionUID = 1L;

        TooLargeException(long limit) {
            super("response body exceeds the limit of " + limit + " bytes");
        }
    }

    private final long limit;
    private final boolean truncate;
    private final long declaredLength;
    private final CompletableFuture<byte[]> result = new CompletableFuture<>();
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    private final @Nullable Consumer<byte[]> onBody;
    private volatile Flow.@Nullable Subscription subscription;

    /**
     * @param onBody called with the whole body on the reading thread before {@link #getBody()} completes, so the
     *               caller is answered before the JDK client's own completion chain runs (docs/performance.md,
     *               "Spring AI bridge")
     */
    BoundedBodySubscriber(long limit, boolean truncate, long declaredLength, @Nullable Consumer<byte[]> onBody) {
        this.limit = limit;
        this.truncate = truncate;
        this.declaredLength = declaredLength;
        this.onBody = onBody;
    }

    @Override
    public CompletionStage<byte[]> getBody() {
        return result;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        subscription = s;
        if (!truncate && declaredLength > limit) {
            s.cancel();
            result.completeExceptionally(new TooLargeException(limit));
            return;
        }
        s.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(List<ByteBuffer> items) {
        if (result.isDone()) {
            return;
        }
        for (ByteBuffer item : items) {
            int room = (int) Math.min(Integer.MAX_VALUE, limit - buffer.size());
            int n = item.remaining();
            if (n > room) {
                if (truncate) {
                    byte[] part = new byte[room];
                    item.get(part);
                    buffer.write(part, 0, room);
                    cancel();
                    finish(buffer.toByteArray());
                } else {
                    cancel();
                    result.completeExceptionally(new TooLargeException(limit));
                }
                return;
            }
            byte[] bytes = new byte[n];
            item.get(bytes);
            buffer.write(bytes, 0, n);
        }
    }

    @Override
    public void onError(Throwable throwable) {
        result.completeExceptionally(throwable);
    }

    @Override
    public void onComplete() {
        finish(buffer.toByteArray());
    }

    private void finish(byte[] body) {
        if (onBody != null && !result.isDone()) {
            onBody.accept(body);
        }
        result.complete(body);
    }

    /** Stops reading; used when the exchange times out or the caller gives up. */
    void cancel() {
        Flow.Subscription s = subscription;
        if (s != null) {
            s.cancel();
        }
    }
}
