package dev.llmix.spring.killswitch;

import dev.llmix.resilience.KillSwitchActiveException;
import java.nio.file.Path;

/** Thrown for a call while the fleet-wide kill switch is engaged (or, fail-closed, while it cannot be read). */
public class FleetKillSwitchActiveException extends KillSwitchActiveException {

    private static final long serialVersionUID = 1L;

    FleetKillSwitchActiveException(Path path, String message) {
        super(path, message);
    }
}
