package dev.llmix.spi;

import java.util.Objects;

/**
 * A call of preset {@code module/preset} moved from one provider to the next alternative of its fallback chain
 * (docs/providers.md, "Fallback chains"); handed to {@link CallListener#fallback(FallbackEvent)}.
 *
 * @param module       the module of the called preset
 * @param preset       the called preset
 * @param fromProvider the provider that failed
 * @param fromModel    the model that failed
 * @param toProvider   the provider tried next
 * @param toModel      the model tried next
 * @param reason       the failure type of the failed try in lower case, e.g. {@code circuit_open},
 *                     {@code provider_error}, {@code timeout}, {@code rate_limited}, {@code network}
 * @param position     the position of the alternative tried next in the chain, from 1
 */
public record FallbackEvent(String module, String preset, String fromProvider, String fromModel, String toProvider,
        String toModel, String reason, int position) {

    public FallbackEvent {
        Objects.requireNonNull(module, "module");
        Objects.requireNonNull(preset, "preset");
        Objects.requireNonNull(fromProvider, "fromProvider");
        Objects.requireNonNull(fromModel, "fromModel");
        Objects.requireNonNull(toProvider, "toProvider");
        Objects.requireNonNull(toModel, "toModel");
        Objects.requireNonNull(reason, "reason");
    }
}
