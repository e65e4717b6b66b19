package dev.llmix.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.llmix.cache.TwoTierCache;
import dev.llmix.config.CachingStrategy;
import dev.llmix.provider.PriceBook;
import dev.llmix.spi.CallCost;
import dev.llmix.spi.LlmUsage;
import dev.llmix.spi.ProviderResult;
import dev.llmix.testsupport.ScriptedDispatch;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Cost accounting of docs/cost.md: billed to the cent, savings of cache hits, unknown models reported. */
class CallCostTest extends PipelineTestSupport {

    /** $2.50 / $10.00 / $1.25 per million input / output / cached-input tokens. */
    private static final PriceBook PRICES = PriceBook.builtIn().with("openai", "gpt-4",
            PriceBook.ModelPrice.configured(2.50, 10.00, 1.25));

    private static ScriptedDispatch usage(long in, long out, Long cached) {
        return ScriptedDispatch.sequence(ProviderResult.of("answer", "gpt-4-0613",
                new LlmUsage(in, out, in + out, cached)));
    }

    @Test
    void freshCallCarriesItsCostToTheCent() {
        // 100,000 uncached input → $0.25; 23,456 cached → $0.02932; 7,890 output → $0.0789; total $0.35822.
        CallPipeline p = pipeline(options().priceBook(PRICES), usage(123_456, 7_890, 23_456L));
        CallCost cost = p.call(input()).cost();
        assertThat(cost).isNotNull();
        assertThat(cost.inputUsd()).isCloseTo(0.25, within(0.005));
        assertThat(cost.cachedInputUsd()).isCloseTo(0.03, within(0.005));
        assertThat(cost.outputUsd()).isCloseTo(0.08, within(0.005));
        assertThat(Math.round(cost.totalUsd() * 100)).isEqualTo(36);
        assertThat(cost.totalUsd()).isCloseTo(0.35822, within(1e-9));
        assertThat(p.costs().costUsd()).isCloseTo(0.35822, within(1e-9));
    }

    @Test
    void builtInPriceBillsAModelOfTheTable() {
        // gpt-4o-mini: $0.15 in, $0.60 out per million → 1M in + 1M out = $0.75.
        CallPipeline p = pipeline(ScriptedDispatch.sequence(ProviderResult.of("a", "gpt-4o-mini",
                LlmUsage.of(1_000_000, 1_000_000, 2_000_000))));
        CallCost cost = p.call(input(config().model("gpt-4o-mini").build())).cost();
        assertThat(cost).isNotNull();
        assertThat(cost.totalUsd()).isCloseTo(0.75, within(1e-9));
    }

    @Test
    void cacheHitSavesTheCostOfTheFreshCall() {
        TwoTierCache cache = TwoTierCache.builder().strategy(CachingStrategy.MEMORY).maxItems(8)
                .ttl(Duration.ofSeconds(60)).build();
        CallPipeline p = pipeline(options().priceBook(PRICES).responseCache(cache), usage(100_000, 10_000, null));
        var in = input(config().caching(CachingStrategy.MEMORY).build());
        CallResponse fresh = p.call(in);
        CallResponse hit = p.call(in);
        assertThat(hit.cacheHit()).isNotNull();
        assertThat(hit.cost()).isNull();
        CostTotals totals = p.costs();
        assertThat(totals.costUsd()).isCloseTo(fresh.cost().totalUsd(), within(1e-9));
        assertThat(totals.savedUsd()).isCloseTo(0.35, within(1e-9));
        assertThat(totals.models()).singleElement().satisfies(m -> {
            assertThat(m.freshCalls()).isEqualTo(1);
            assertThat(m.cacheHits()).isEqualTo(1);
        });
    }

    @Test
    void unknownModelIsReportedNotGuessed() {
        CallPipeline p = pipeline(ScriptedDispatch.ok("x"));
        CallResponse r = p.call(input(config().model("no-such-model-9").build()));
        assertThat(r.success()).isTrue();
        assertThat(r.cost()).isNull();
        assertThat(p.costs().costUsd()).isZero();
        assertThat(p.costs().models()).singleElement().satisfies(m -> {
            assertThat(m.priced()).isFalse();
            assertThat(m.freshCalls()).isEqualTo(1);
        });
    }

    @Test
    void builtInEntriesCiteSourceAndDate() {
        PriceBook.ModelPrice p = PriceBook.builtIn().find("openai", "gpt-5-mini-2025-08-07");
        assertThat(p).isNotNull();
        assertThat(p.source()).startsWith("https://");
        assertThat(p.asOf()).matches("\\d{4}-\\d{2}");
        assertThat(PriceBook.builtIn().table().values()).allSatisfy(e -> assertThat(e.asOf()).isNotEmpty());
    }
}
