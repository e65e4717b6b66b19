package dev.llmix.config.mda;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The {@code requires.network} load-time gate: a preset declares which hosts it needs, the operator lists the hosts
 * it permits. It does not restrict sockets; it refuses to load a preset whose declared needs exceed the allow list.
 */
final class RequiresNetwork {

    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");

    private RequiresNetwork() {
    }

    /**
     * Checks the declared {@code requires} block against the allowed networks.
     *
     * @param requires the frontmatter's {@code requires} value (may be null)
     * @param allowed  host names or patterns ({@code *} = one DNS label; {@code "*"} alone = anything)
     * @throws MdaConfigException {@code requires-not-satisfied} naming the host, or {@code invalid-shape}
     */
    public static void check(@Nullable Object requires, List<String> allowed, String source) {
        if (!(requires instanceof Map<?, ?> req) || !req.containsKey("network")) {
            return;
        }
        Object network = req.get("network");
        boolean wildcard = allowed.contains("*");
        if ("none".equals(network)) {
            return;
        }
        if ("local".equals(network)) {
            for (String a : allowed) {
                if (!isLocal(a)) {
                    throw fail(source, "requires.network is \"local\" but the allowed networks include " + a, a);
                }
            }
            return;
        }
        if ("public".equals(network)) {
            if (!wildcard) {
                throw fail(source, "requires.network is \"public\" but the allowed networks do not include \"*\"",
                        "public");
            }
            return;
        }
        if (network instanceof List<?> hosts) {
            for (Object h : hosts) {
                if (!(h instanceof String host) || host.isEmpty()) {
                    throw fail(source, "requires.network has an invalid shape (array entries must be non-empty "
                            + "strings)", "invalid-shape");
                }
            }
            if (wildcard) {
                return;
            }
            for (Object h : hosts) {
                String host = (String) h;
                if (allowed.stream().noneMatch(a -> a.equals(host) || matchesPattern(a, host))) {
                    throw fail(source, "requires.network host " + host + " is not in the allowed networks", host);
                }
            }
            return;
        }
        throw fail(source, "requires.network has an invalid shape (expected \"none\", \"local\", \"public\" or an "
                + "array of hosts)", "invalid-shape");
    }

    private static boolean matchesPattern(String pattern, String host) {
        if (pattern.indexOf('*') < 0) {
            return false;
        }
        StringBuilder regex = new StringBuilder();
        String[] parts = pattern.split("\\*", -1);
        for (int i = 0; i < parts.length; i++) {
            if (i > 0) {
                regex.append("[^.]+");
            }
            regex.append(Pattern.quote(parts[i]));
        }
        return Pattern.compile(regex.toString()).matcher(host).matches();
    }

    static boolean isLocal(String entry) {
        String h = entry.toLowerCase(Locale.ROOT);
        while (h.endsWith(".")) {
            h = h.substring(0, h.length() - 1);
        }
        if (h.equals("localhost") || h.endsWith(".localhost") || h.endsWith(".local") || h.endsWith(".internal")) {
            return true;
        }
        if (h.equals("127.0.0.1") || h.equals("::1") || h.equals("[::1]")) {
            return true;
        }
        var m = IPV4.matcher(h);
        if (m.matches()) {
            int a = Integer.parseInt(m.group(1));
            int b = Integer.parseInt(m.group(2));
            return a == 10 || (a == 192 && b == 168) || (a == 172 && b >= 16 && b <= 31);
        }
        return h.matches("f[cd][0-9a-f]{0,2}:.*");
    }

    private static MdaConfigException fail(String source, String message, String host) {
        return new MdaConfigException(MdaErrorCategory.REQUIRES_NOT_SATISFIED, source + ": " + message,
                Map.of("host", host), null);
    }
}
