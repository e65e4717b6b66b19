package dev.llmix.pipeline;

import static dev.llmix.pipeline.ScriptedStreamDispatch.opened;
import static dev.llmix.pipeline.ScriptedStreamDispatch.text;
import static org.assertj.core.api.Assertions.assertThat;

import dev.llmix.cache.CacheStats;
import dev.llmix.cache.TwoTierCache;
import dev.llmix.config.CachingStrategy;
import dev.llmix.spi.CallInput;
import dev.llmix.testsupport.RecordingChunkSubscriber;
import dev.llmix.tools.Tool;
import dev.llmix.tools.ToolSet;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Which streams the response cache does not see (docs/streaming.md, "Cache"; docs/tools.md): a stream that offers
 * tools neither reads nor writes it, even with strategy {@code memory}, and a stream whose text the request's
 * {@code cacheable} predicate rejects is not written.
 */
class StreamCacheBypassTest extends PipelineTestSupport {

    private static final ToolSet WEATHER = new ToolSet(List.of(Tool.function("get_weather", "Weather for a city",
            "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}}}")), null, null);

    private static TwoTierCache memoryCache() {
        return TwoTierCache.builder().strategy(CachingStrategy.MEMORY).maxItems(8).ttl(Duration.ofSeconds(60)).build();
    }

    // 44
    @Test
    void twoIdenticalStreamsWithToolsDispatchTwiceAndNeverTouchTheCache() throws Exception {
        TwoTierCache cache = memoryCache();
        ScriptedStreamDispatch d = ScriptedStreamDispatch.always(opened(), text("sunny"));
        CallPipeline p = pipeline(options().responseCache(cache), d);
        CallInput in = input(config().caching(CachingStrategy.MEMORY).build()).withTools(WEATHER);

        for (int i = 0; i < 2; i++) {
            RecordingChunkSubscriber s = new RecordingChunkSubscriber();
            p.stream(in).subscribe(s);
            CallResponse done = s.awaitDone();
            assertThat(done.success()).isTrue();
            assertThat(done.content()).isEqualTo("sunny");
            assertThat(done.cacheHit()).isNull();
        }
        assertThat(d.count()).isEqualTo(2);
        CacheStats stats = cache.stats();
        assertThat(stats.lookups()).isZero();
        assertThat(stats.l1Size()).isZero();
    }

    // 3.12: the cacheable predicate decides whether a completed stream is written
    @Test
    void aStreamWhoseTextTheCacheablePredicateRejectsIsNotCached() throws Exception {
        TwoTierCache cache = memoryCache();
        ScriptedStreamDispatch d = ScriptedStreamDispatch.always(opened(), text("not json"));
        CallPipeline p = pipeline(options().responseCache(cache), d);
        CallInput in = new CallInput(config().caching(CachingStrategy.MEMORY).build(), HI, null, null,
                raw -> raw.startsWith("{"));

        RecordingChunkSubscriber s = new RecordingChunkSubscriber();
        p.stream(in).subscribe(s);
        assertThat(s.awaitDone().success()).isTrue();
        assertThat(cache.stats().l1Size()).isZero();
    }
}
