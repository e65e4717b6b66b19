package dev.llmix.internal.http;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/** Base URLs as shown by the endpoint and metrics: no user info, no query, no fragment (they may carry secrets). */
public final class DisplayUrls {

    private DisplayUrls() {
    }

    /** {@code scheme://host[:port]/path} of {@code url}; {@code ""} stays {@code ""}; unparsable text → {@code "<invalid>"}. */
    public static String withoutSecrets(String url) {
        if (url.isEmpty()) {
            return url;
        }
        try {
            URI u = new URI(url);
            if (u.getRawUserInfo() == null && u.getRawQuery() == null && u.getRawFragment() == null) {
                return url;
            }
            return new URI(u.getScheme(), null, u.getHost(), u.getPort(), u.getPath(), null, null).toString();
        } catch (URISyntaxException | IllegalArgumentException e) {
            return "<invalid>";
        }
    }

    /** The lower-cased host of {@code url}, {@code ""} for the provider default, {@code "<invalid>"} when unparsable. */
    public static String host(String url) {
        if (url.isEmpty()) {
            return "";
        }
        try {
            String h = new URI(url).getHost();
            return h == null ? "<invalid>" : h.toLowerCase(Locale.ROOT);
        } catch (URISyntaxException e) {
            return "<invalid>";
        }
    }
}
