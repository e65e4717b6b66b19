package dev.llmix.provider.http;

import dev.llmix.keys.ApiKeys;
import java.util.List;

/** Replaces every secret sent with a request by its masked form, in any text that may reach a message or log. */
final class Redaction {

    /** Secrets shorter than this are not searched for: they would match ordinary text. */
    private static final int MIN_SECRET_LENGTH = 4;

    private Redaction() {
    }

    /**
     * Shortest leading piece of a secret that is masked on its own. Text quoted by a parser (Jackson cuts tokens it
     * reports) can end inside a key; such a truncated copy is masked too.
     */
    private static final int MIN_FRAGMENT_LENGTH = 8;

    static String redact(String text, List<String> secrets) {
        String out = text;
        for (String secret : secrets) {
            if (secret.length() >= MIN_SECRET_LENGTH && out.contains(secret)) {
                out = out.replace(secret, ApiKeys.mask(secret));
            }
            if (secret.length() > MIN_FRAGMENT_LENGTH) {
                out = maskLeadingFragments(out, secret);
            }
        }
        return out;
    }

    /** Masks every copy of the secret's first {@value #MIN_FRAGMENT_LENGTH}+ characters that was cut short. */
    private static String maskLeadingFragments(String text, String secret) {
        String head = secret.substring(0, MIN_FRAGMENT_LENGTH);
        int at = text.indexOf(head);
        if (at < 0) {
            return text;
        }
        String mask = ApiKeys.mask(secret);
        StringBuilder sb = new StringBuilder(text.length());
        int from = 0;
        while (at >= 0) {
            int len = MIN_FRAGMENT_LENGTH;
            while (len < secret.length() && at + len < text.length() && text.charAt(at + len) == secret.charAt(len)) {
                len++;
            }
            sb.append(text, from, at).append(mask);
            from = at + len;
            at = text.indexOf(head, from);
        }
        return sb.append(text, from, text.length()).toString();
    }
}
