package dev.llmix.spring.redis;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.slf4j.LoggerFactory;

/** Helpers shared by the real-Redis cache tests: waiting on conditions, a compressed health timer, log capture. */
final class L2TestSupport {

    private L2TestSupport() {
    }

    /** Polls {@code condition} every 20 ms until it holds; fails with {@code what} after {@code timeout}. */
    static void await(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Timed out after " + timeout + " waiting for: " + what);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("Interrupted waiting for: " + what, e);
            }
        }
    }

    /**
     * A health-check scheduler that runs the cache's periodic PING every {@code period} instead of the production 30 s,
     * so recovery tests need not wait half a minute. TwoTierCache has no interval setting of its own (yet); it only
     * takes the scheduler, and this one compresses whatever fixed delay it is asked for.
     */
    static final class FastHealthScheduler extends ScheduledThreadPoolExecutor {
        private final long periodMillis;

        FastHealthScheduler(Duration period) {
            super(1, r -> {
                Thread t = new Thread(r, "test-l2-health");
                t.setDaemon(true);
                return t;
            });
            this.periodMillis = period.toMillis();
            setRemoveOnCancelPolicy(true);
        }

        @Override
        public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
            return super.scheduleWithFixedDelay(command, periodMillis, periodMillis, TimeUnit.MILLISECONDS);
        }

        @Override
        public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
            return super.scheduleAtFixedRate(command, periodMillis, periodMillis, TimeUnit.MILLISECONDS);
        }
    }

    /** Captures every log event of the JVM (root logger) while open. */
    static final class CapturedLogs implements AutoCloseable {
        private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

        CapturedLogs() {
            appender.start();
            root.addAppender(appender);
        }

        /** Snapshot of the captured events. */
        List<ILoggingEvent> events() {
            synchronized (appender.list) {
                return List.copyOf(appender.list);
            }
        }

        /** Formatted messages (with throwable text) of the events from {@code loggerName}. */
        List<String> messagesOf(String loggerName) {
            return events().stream().filter(e -> e.getLoggerName().equals(loggerName))
                    .map(CapturedLogs::render).collect(Collectors.toList());
        }

        /** Every captured event rendered as message plus stack trace text. */
        String everything() {
            return events().stream().map(CapturedLogs::render).collect(Collectors.joining("\n"));
        }

        private static String render(ILoggingEvent e) {
            IThrowableProxy t = e.getThrowableProxy();
            return e.getFormattedMessage() + (t == null ? "" : "\n" + ThrowableProxyUtil.asString(t));
        }

        @Override
        public void close() {
            root.detachAppender(appender);
            appender.stop();
        }
    }
}
