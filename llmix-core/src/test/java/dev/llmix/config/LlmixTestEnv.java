package dev.llmix.config;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/** A fake environment lookup for tests. */
public final class LlmixTestEnv {

    private LlmixTestEnv() {
    }

    /** An environment holding the given name/value pairs. */
    public static Function<String, @Nullable String> of(String... pairs) {
        Map<String, String> env = new HashMap<>();
        for (int i = 0; i + 1 < pairs.length; i += 2) {
            env.put(pairs[i], pairs[i + 1]);
        }
        return env::get;
    }
}
