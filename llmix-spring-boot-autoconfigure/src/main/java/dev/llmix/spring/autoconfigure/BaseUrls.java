package dev.llmix.spring.autoconfigure;

import dev.llmix.spring.autoconfigure.diagnostics.InvalidLlmixConfigurationException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/** Start-up check of an adapter's {@code base-url}: an absolute {@code http}/{@code https} URL with a host. */
final class BaseUrls {

    private BaseUrls() {
    }

    /**
     * @throws InvalidLlmixConfigurationException naming {@code property}; the value itself is not repeated, since a
     *                                            URL may carry credentials
     */
    static void check(String property, @Nullable String url) {
        if (url == null || url.isBlank()) {
            return;
        }
        String problem = null;
        try {
            URI uri = new URI(url.strip());
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https")) {
                problem = "is not an http or https URL";
            } else if (uri.getHost() == null || uri.getHost().isEmpty()) {
                problem = "has no host";
            }
        } catch (URISyntaxException e) {
            problem = "is not a URL (" + e.getReason() + ")";
        }
        if (problem != null) {
            throw new InvalidLlmixConfigurationException(property, "the base URL " + problem,
                    "Set '" + property + "' to the provider's API root, e.g. https://api.openai.com/v1, or remove it "
                            + "to use the provider's default.", null);
        }
    }
}
