package dev.llmix.resilience;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What an operator sees about a kill switch: whether it is engaged, where the file lives, and (when known) why and
 * since when. A switch created by another tool ({@code touch}) has no reason and reports its modification time.
 *
 * @param active whether the kill switch file exists
 * @param path the kill switch file
 * @param reason the operator's reason, or {@code null} when inactive or not recorded
 * @param since when it was engaged, or {@code null} when inactive
 */
public record KillSwitchStatus(boolean active, Path path, @Nullable String reason, @Nullable Instant since) {

    public KillSwitchStatus {
        Objects.requireNonNull(path, "path");
    }
}
