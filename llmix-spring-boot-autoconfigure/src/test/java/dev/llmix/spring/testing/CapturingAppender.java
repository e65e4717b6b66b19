package dev.llmix.spring.testing;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;
import ch.qos.logback.core.AppenderBase;

/**
 * Captures every log line (message, exception messages and frames) into {@link LeakScanner}; declared in
 * {@code logback-test.xml}, so it survives Spring Boot re-initialising logging.
 */
public class CapturingAppender extends AppenderBase<ILoggingEvent> {

    @Override
    protected void append(ILoggingEvent event) {
        StringBuilder sb = new StringBuilder(event.getLoggerName()).append(' ').append(event.getFormattedMessage());
        for (IThrowableProxy t = event.getThrowableProxy(); t != null; t = t.getCause()) {
            sb.append(" | ").append(t.getClassName()).append(": ").append(t.getMessage());
            for (StackTraceElementProxy f : t.getStackTraceElementProxyArray()) {
                sb.append(' ').append(f.getSTEAsString());
            }
        }
        LeakScanner.log(sb.toString());
    }
}
