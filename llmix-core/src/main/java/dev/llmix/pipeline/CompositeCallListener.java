package dev.llmix.pipeline;

import dev.llmix.spi.AttemptFailedEvent;
import dev.llmix.spi.AttemptStartedEvent;
import dev.llmix.spi.BreakerStateEvent;
import dev.llmix.spi.BudgetWaitEvent;
import dev.llmix.spi.CallEvent;
import dev.llmix.spi.CallInput;
import dev.llmix.spi.CallListener;
import dev.llmix.spi.FallbackEvent;
import dev.llmix.spi.KeyDeadEvent;
import dev.llmix.spi.KeyRotatedEvent;
import dev.llmix.spi.LimiterWindowEvent;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands every call event to several {@link CallListener}s in order (e.g. the metrics listener and the application's
 * own). A listener that throws never affects the call or the other listeners; the first failure of each listener type
 * is logged at WARN, later ones at DEBUG.
 */
public final class CompositeCallListener implements CallListener {

    private static final Logger LOG = LoggerFactory.getLogger(CompositeCallListener.class);

    private final CallListener[] listeners;
    private final Set<Class<?>> warned = ConcurrentHashMap.newKeySet();

    private CompositeCallListener(List<? extends CallListener> listeners) {
        this.listeners = listeners.toArray(new CallListener[0]);
    }

    /**
     * One listener for {@code listeners}, in their order: {@code null} for none, a guarded composite otherwise.
     *
     * @throws NullPointerException for a null list or element
     */
    public static @Nullable CallListener of(List<? extends CallListener> listeners) {
        Objects.requireNonNull(listeners, "listeners");
        listeners.forEach(l -> Objects.requireNonNull(l, "listener"));
        return listeners.isEmpty() ? null : new CompositeCallListener(List.copyOf(listeners));
    }

    /** The listeners, in call order. */
    public List<CallListener> listeners() {
        return List.of(listeners);
    }

    @Override
    public @Nullable Object callStarted(CallInput input) {
        if (listeners.length == 1) {
            return start(listeners[0], input);
        }
        // One context per listener, handed back in the same order.
        Object[] contexts = new Object[listeners.length];
        for (int i = 0; i < listeners.length; i++) {
            contexts[i] = start(listeners[i], input);
        }
        return contexts;
    }

    @Override
    public void callFinished(CallEvent event, @Nullable Object context) {
        if (listeners.length == 1) {
            finish(listeners[0], event, context);
            return;
        }
        Object[] contexts = context instanceof Object[] a && a.length == listeners.length ? a : null;
        for (int i = 0; i < listeners.length; i++) {
            finish(listeners[i], event, contexts == null ? null : contexts[i]);
        }
    }

    @Override
    public void fallback(FallbackEvent event) {
        each(l -> l.fallback(event));
    }

    @Override
    public void attemptStarted(AttemptStartedEvent event) {
        each(l -> l.attemptStarted(event));
    }

    @Override
    public void attemptFailed(AttemptFailedEvent event) {
        each(l -> l.attemptFailed(event));
    }

    @Override
    public void keyRotated(KeyRotatedEvent event) {
        each(l -> l.keyRotated(event));
    }

    @Override
    public void keyMarkedDead(KeyDeadEvent event) {
        each(l -> l.keyMarkedDead(event));
    }

    @Override
    public void breakerStateChanged(BreakerStateEvent event) {
        each(l -> l.breakerStateChanged(event));
    }

    @Override
    public void limiterWindowChanged(LimiterWindowEvent event) {
        each(l -> l.limiterWindowChanged(event));
    }

    @Override
    public void budgetWaited(BudgetWaitEvent event) {
        each(l -> l.budgetWaited(event));
    }

    /** Operator events are rare (retries, rotations, transitions): one guarded pass over the listeners each. */
    private void each(java.util.function.Consumer<CallListener> event) {
        for (CallListener l : listeners) {
            try {
                event.accept(l);
            } catch (Throwable t) {
                failed(l, t);
            }
        }
    }

    private @Nullable Object start(CallListener l, CallInput input) {
        try {
            return l.callStarted(input);
        } catch (Throwable t) {
            failed(l, t);
            return null;
        }
    }

    private void finish(CallListener l, CallEvent event, @Nullable Object context) {
        try {
            l.callFinished(event, context);
        } catch (Throwable t) {
            failed(l, t);
        }
    }

    private void failed(CallListener l, Throwable t) {
        if (warned.add(l.getClass())) {
            LOG.warn("LLMix call listener {} failed; the call goes on (further failures of this listener type are "
                    + "logged at DEBUG): {}", l.getClass().getName(), t.toString());
        } else {
            LOG.debug("LLMix call listener {} failed: {}", l.getClass().getName(), t.toString());
        }
    }

    @Override
    public String toString() {
        return "CompositeCallListener" + List.of(listeners);
    }
}
