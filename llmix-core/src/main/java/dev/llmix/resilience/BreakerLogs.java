package dev.llmix.resilience;

import java.net.URI;

/** How a breaker names its base URL in log lines: the host only, since a URL may carry credentials or a query. */
final class BreakerLogs {

    private BreakerLogs() {
    }

    static String host(String baseUrl) {
        if (baseUrl.isEmpty()) {
            return "the provider default";
        }
        try {
            String host = URI.create(baseUrl).getHost();
            return host == null ? "<unparsable base URL>" : host;
        } catch (IllegalArgumentException e) {
            return "<unparsable base URL>";
        }
    }
}
