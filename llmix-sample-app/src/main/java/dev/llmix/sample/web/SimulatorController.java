package dev.llmix.sample.web;

import dev.llmix.sample.simulated.SimulatedProvider;
import dev.llmix.sample.simulated.SimulatorSettings;
import dev.llmix.sample.simulated.SimulatorStats;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * {@code /api/simulator}: reads and changes the simulated provider's behaviour while the sample runs; 404 when the
 * sample calls a real provider.
 */
@RestController
@RequestMapping("/api/simulator")
public class SimulatorController {

    /**
     * The simulated provider's behaviour and counters.
     *
     * @param settings its current behaviour
     * @param stats    what it has answered so far
     */
    public record SimulatorView(SimulatorSettings settings, SimulatorStats stats) {
    }

    private final @Nullable SimulatedProvider provider;

    SimulatorController(ObjectProvider<SimulatedProvider> provider) {
        this.provider = provider.getIfAvailable();
    }

    @GetMapping
    SimulatorView get() {
        SimulatedProvider p = requireProvider();
        return new SimulatorView(p.settings(), p.stats());
    }

    @PutMapping
    SimulatorView put(@RequestBody SimulatorSettings settings) {
        requireProvider().update(settings);
        return get();
    }

    private SimulatedProvider requireProvider() {
        if (provider == null) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND,
                    "The simulated provider is off (sample.simulated.enabled=false)");
        }
        return provider;
    }
}
