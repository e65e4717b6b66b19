package dev.llmix.spring.killswitch;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What an operator sees about the kill switch of this instance.
 *
 * @param active whether calls are refused (the file exists, or the fleet switch is engaged)
 * @param scope  {@code local} or {@code fleet}
 * @param path   the local kill switch file (it blocks calls in both scopes)
 * @param reason the operator's reason, or {@code null} when inactive or not recorded
 * @param since  when it was engaged, or {@code null} when inactive
 */
public record KillSwitchState(boolean active, KillSwitchScope scope, Path path, @Nullable String reason,
        @Nullable Instant since) {

    public KillSwitchState {
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(path, "path");
    }
}
