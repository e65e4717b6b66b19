package dev.llmix.sample.web;

import dev.llmix.sample.simulated.SimulatedProvider;
import java.util.SortedSet;
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
 * {@code /api/simulator/outages}: which providers the simulated provider plays as down, so the dashboard can show a
 * call falling back from one vendor to the other; 404 when the sample calls a real provider.
 */
@RestController
@RequestMapping("/api/simulator/outages")
public class OutageController {

    /**
     * One provider's state.
     *
     * @param provider the provider as presets name it, e.g. {@code openai}
     * @param down     whether every request to it gets a 503
     */
    public record Outage(String provider, boolean down) {
    }

    private final @Nullable SimulatedProvider provider;

    OutageController(ObjectProvider<SimulatedProvider> provider) {
        this.provider = provider.getIfAvailable();
    }

    @GetMapping
    SortedSet<String> get() {
        return requireProvider().outages();
    }

    @PutMapping
    SortedSet<String> put(@RequestBody Outage outage) {
        if (outage.provider() == null || outage.provider().isBlank()) {
            throw new IllegalArgumentException("provider is required, e.g. {\"provider\": \"openai\", \"down\": true}");
        }
        requireProvider().setOutage(outage.provider(), outage.down());
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
