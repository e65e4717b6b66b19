package dev.llmix.provider.http;

import dev.llmix.keys.ApiKeys;
import java.util.List;

/** Replaces every secret sent with a request by its masked form, in any text that may reach a message or log. */
final class Redaction {

    /** Secrets shorter than this are not searched for: they would match ordinary text. */
    private static final int MIN_SECRET_LENGTH = 4;

    private Redaction() {
    }

    static String redact(String text, List<String> secrets) {
        String out = text;
        for (String secret : secrets) {
            if (secret.length() >= MIN_SECRET_LENGTH && out.contains(secret)) {
                out = out.replace(secret, ApiKeys.mask(secret));
            }
        }
        return out;
    }
}
