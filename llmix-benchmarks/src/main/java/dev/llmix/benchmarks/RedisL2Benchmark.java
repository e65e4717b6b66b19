package dev.llmix.benchmarks;

import dev.llmix.cache.CacheLookup;
import dev.llmix.cache.TwoTierCache;
import dev.llmix.config.CachingStrategy;
import dev.llmix.spi.CacheHitTier;
import dev.llmix.spi.CallInput;
import dev.llmix.pipeline.CallResponse;
import dev.llmix.spring.redis.LlmixRedisConnections;
import dev.llmix.spring.redis.RedisResponseCacheStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * The L2 tier against a real {@code redis-server} started on a free loopback port, beside the Redis round trip it is
 * built on. All four share one Lettuce connection factory (and so one native connection):
 * <ul>
 *   <li>{@code rawGet} — {@code GET} of the cache entry's key through a {@link RedisConnection} taken once from
 *       the factory: the round trip, nothing else;</li>
 *   <li>{@code storeGet} — {@link RedisResponseCacheStore#get}: the same {@code GET} through Spring's
 *       {@code StringRedisTemplate};</li>
 *   <li>{@code l2Hit} — {@link TwoTierCache#get} answered by L2: L1 is cleared first (measured with it: about
 *       0.7 µs against a round trip of tens of µs), then Redis {@code GET}, payload parse and L1 back-fill;</li>
 *   <li>{@code l2HitViaPipeline} — the same through {@code CallPipeline.call} with the 1 KB request.</li>
 * </ul>
 * The cached payload is the pipeline's 1 KB request's answer in the cross-language {@code {"data",…,"cached_at"}}
 * form, written by the cache itself.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class RedisL2Benchmark {

    private final CallInput input = CallInput.of(BenchRequests.config(CachingStrategy.REDIS),
            BenchRequests.messages(BenchRequests.SMALL_BYTES));
    private @Nullable LocalRedisServer server;
    private @Nullable LettuceConnectionFactory factory;
    private @Nullable RedisConnection connection;
    private @Nullable RedisResponseCacheStore store;
    private @Nullable TwoTierCache cache;
    private BenchPipelines.@Nullable Handle handle;
    private String key = "";
    private byte[] rawKey = new byte[0];

    @Setup(Level.Trial)
    public void open() throws IOException, InterruptedException {
        server = LocalRedisServer.start();
        factory = LlmixRedisConnections.startedConnectionFactory(server.url());
        connection = factory.getConnection();
        store = new RedisResponseCacheStore(factory);
        cache = TwoTierCache.builder()
                .strategy(CachingStrategy.REDIS)
                .maxItems(1000)
                .ttl(Duration.ofHours(1))
                .l2(store)
                .build();
        BenchPipelines.CountingDispatch dispatch = new BenchPipelines.CountingDispatch(BenchPipelines.NO_OP);
        handle = BenchPipelines.open(cache, dispatch);

        // The pipeline's own miss writes the entry (L1 now, L2 asynchronously); wait until Redis has it.
        Checks.success(handle.pipeline().call(input));
        key = findKey();
        rawKey = key.getBytes(StandardCharsets.UTF_8);
        cache.clear();
        Checks.tier(handle.pipeline().call(input), CacheHitTier.L2);
        Checks.tier(handle.pipeline().call(input), CacheHitTier.L1);
        cache.clear();
        CacheLookup lookup = cache.get(key);
        if (lookup == null || lookup.tier() != CacheHitTier.L2) {
            throw new IllegalStateException("Expected an L2 hit for " + key + " but got " + lookup);
        }
        Checks.equal(dispatch.count(), 1, "dispatches for one miss and L2/L1 hits");
        if (rawGet() == null || storeGet() == null) {
            throw new IllegalStateException("Raw GET of " + key + " found nothing");
        }
    }

    /** The key the pipeline wrote: the only key in the fresh server, waited for since the L2 write is asynchronous. */
    private String findKey() throws InterruptedException {
        for (int i = 0; i < 250; i++) {
            byte[] found = connection.keyCommands().randomKey();
            if (found != null) {
                return new String(found, StandardCharsets.UTF_8);
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException("The pipeline's cache write never reached Redis");
    }

    @TearDown(Level.Trial)
    public void close() throws IOException, InterruptedException {
        if (handle != null) {
            handle.close(); // closes the cache and with it the store (which leaves the factory alone)
        }
        if (connection != null) {
            connection.close();
        }
        if (factory != null) {
            factory.destroy();
        }
        if (server != null) {
            server.close();
        }
    }

    @Benchmark
    public byte @Nullable [] rawGet() {
        return connection.stringCommands().get(rawKey);
    }

    @Benchmark
    public @Nullable String storeGet() {
        return store.get(key);
    }

    @Benchmark
    public @Nullable CacheLookup l2Hit() {
        cache.clear();
        return cache.get(key);
    }

    @Benchmark
    public CallResponse l2HitViaPipeline() {
        cache.clear();
        return handle.pipeline().call(input);
    }
}
