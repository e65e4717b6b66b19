package dev.llmix.config.mda;

import dev.llmix.config.InvalidConfigException;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A failure of the MDA source loader: the message starts with {@code [<category>] }, {@link #category()} names the
 * failing stage and {@link #details()} carries machine-readable context (e.g. {@code expected}/{@code computed}
 * digests). It is an {@link InvalidConfigException}, so {@code catch (InvalidConfigException e)} also catches it.
 */
public class MdaConfigException extends InvalidConfigException {

    private static final long serialVersionUID = 1L;

    private final MdaErrorCategory category;
    private final transient Map<String, Object> details;

    public MdaConfigException(MdaErrorCategory category, String message) {
        this(category, message, Map.of(), null);
    }

    public MdaConfigException(MdaErrorCategory category, String message, Map<String, ?> details,
            @Nullable Throwable cause) {
        super("[" + category.wireName() + "] " + message, cause);
        this.category = category;
        this.details = Map.copyOf(details);
    }

    /** The stable error category. */
    public MdaErrorCategory category() {
        return category;
    }

    /** Machine-readable details; never contains key material. */
    public Map<String, Object> details() {
        return details;
    }
}
