package dev.llmix.internal.http;

import org.jspecify.annotations.Nullable;

/**
 * The pipeline's offer to an HTTP adapter to run one exchange on the calling thread, which is blocked waiting for it
 * anyway. A blocking {@code CallPipeline.call} makes the offer for its first attempt; the adapter takes it (or leaves
 * it) before sending. Running there skips the hops of the JDK client's asynchronous completion, one of which starts a
 * new thread per exchange on machines with 2 CPUs or fewer (docs/performance.md, "Spring AI bridge").
 */
public final class CallerRuns {

    /**
     * What the calling thread may spend: at most {@code boundNanos} on the exchange; when that bound, not the
     * adapter's own request timeout, ends it, the attempt fails with {@code timeoutMessage}, the text the pipeline's
     * own timer would have given.
     */
    public record Offer(long boundNanos, String timeoutMessage) {
    }

    private static final ThreadLocal<@Nullable Offer> OFFER = new ThreadLocal<>();

    private CallerRuns() {
    }

    /** Offers the exchange of the dispatch about to run on this thread. */
    public static void offer(long boundNanos, String timeoutMessage) {
        OFFER.set(new Offer(boundNanos, timeoutMessage));
    }

    /** Takes this thread's offer, if any: an offer serves one exchange. */
    public static @Nullable Offer take() {
        Offer offer = OFFER.get();
        if (offer != null) {
            OFFER.remove();
        }
        return offer;
    }

    /** Withdraws an offer nobody took (the dispatch returned without sending on this thread). */
    public static void withdraw() {
        OFFER.remove();
    }
}
