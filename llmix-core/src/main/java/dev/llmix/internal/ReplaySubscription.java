package dev.llmix.internal;

import java.util.List;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/** Emits a list once it is known, honouring demand; signals are serialized by a work-in-progress counter. */
public final class ReplaySubscription<T> implements Flow.Subscription {
    private final Flow.Subscriber<? super T> subscriber;
    private final AtomicLong demand = new AtomicLong();
    private final AtomicInteger wip = new AtomicInteger();
    private volatile @Nullable List<T> events;
    private volatile @Nullable Throwable error;
    private volatile boolean cancelled;
    private int next;
    private boolean terminated;

    public ReplaySubscription(Flow.Subscriber<? super T> subscriber) {
        this.subscriber = subscriber;
    }

    public void ready(List<T> list) {
        events = list;
        drain();
    }

    public void fail(Throwable t) {
        error = t;
        drain();
    }

    @Override
    public void request(long n) {
        if (n <= 0) {
            error = new IllegalArgumentException("request must be positive, got " + n);
            events = null;
        } else {
            demand.getAndAccumulate(n, (a, b) -> a + b < 0 ? Long.MAX_VALUE : a + b);
        }
        drain();
    }

    @Override
    public void cancel() {
        cancelled = true;
    }

    private void drain() {
        if (wip.getAndIncrement() != 0) {
            return;
        }
        int missed = 1;
        do {
            while (!terminated && !cancelled) {
                Throwable e = error;
                if (e != null) {
                    terminated = true;
                    subscriber.onError(e);
                    break;
                }
                List<T> list = events;
                if (list == null) {
                    break;
                }
                if (next == list.size()) {
                    terminated = true;
                    subscriber.onComplete();
                    break;
                }
                if (demand.get() == 0) {
                    break;
                }
                demand.decrementAndGet();
                subscriber.onNext(list.get(next++));
            }
            missed = wip.addAndGet(-missed);
        } while (missed != 0);
    }
}
