package dev.llmix.spring.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import dev.llmix.cache.TwoTierCache;
import dev.llmix.config.CachingStrategy;
import dev.llmix.config.LlmConfig;
import dev.llmix.config.TimeoutConfig;
import dev.llmix.keys.KeyPool;
import dev.llmix.keys.KeyPools;
import dev.llmix.spi.CallInput;
import dev.llmix.pipeline.CallPipeline;
import dev.llmix.pipeline.CallResponse;
import dev.llmix.spi.DispatchFunction;
import dev.llmix.pipeline.PipelineConfig;
import dev.llmix.spi.ProviderResult;
import dev.llmix.reliability.LoopbackProvider;
import dev.llmix.reliability.SecretScan;
import dev.llmix.spring.actuate.LlmixEndpoint;
import dev.llmix.spring.actuate.LlmixReport;
import dev.llmix.spring.killswitch.LocalKillSwitch;
import dev.llmix.spring.metrics.LlmixMetrics;
import dev.llmix.spring.redis.LlmixRedisConnections;
import dev.llmix.spring.redis.RedisResponseCacheStore;
import dev.llmix.testsupport.RealRedis;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import mockwebserver3.MockResponse;
import mockwebserver3.SocketEffect;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * One run through every path that handles an API key — success with a Redis-backed cache, a provider echoing the
 * {@code Authorization} header in error bodies and headers (400, 401, 429, 500), dropped connections, timeouts, an
 * exhausted and a missing key pool, keys from the environment — then a search of everything an application could see
 * or persist: every log event of the JVM (root logger at DEBUG, messages and stack traces), every exception the
 * adapter produced and every {@code CallResponse} (message, {@code toString()}, stack trace, JSON), the pipeline
 * snapshot (toString and JSON), the key pools' {@code toString()}, every Micrometer meter (id, tags, measurements),
 * the {@code llmix} Actuator endpoint's report and write results with their audit events, the strings reachable from the
 * {@link TwoTierCache} (a heap dump of the cached entries) and every key and value in Redis. No key may appear, in
 * full or as any 12-character fragment.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SecretsNeverLeakTest {

    @RegisterExtension
    static final RealRedis REDIS = RealRedis.create();

    private static final List<String> KEYS = List.of(
            "sk-fake_alphaSECRET1111bbbb2222AAAA", "sk-fake_betaSECRET3333dddd4444CCCC",
            "sk-fake_gammaSECRET5555ffff6666EEEE");
    /** No two keys share 12 characters, so every fragment points at exactly one key. */
    private static final String ENV_KEY = "sk-ant-envSECRET7777hhhh8888GG";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path stateDir;

    private final LoopbackProvider provider = new LoopbackProvider();
    private final List<AutoCloseable> closeables = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : closeables) {
            c.close();
        }
        provider.close();
    }

    @Test
    void apiKeysNeverAppearInResponsesExceptionsLogsSnapshotsOrCachedData() throws Exception {
        List<String> secrets = new ArrayList<>(KEYS);
        secrets.add(ENV_KEY);
        SecretScan scan = new SecretScan(secrets);

        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        Level rootLevel = root.getLevel();
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        root.addAppender(logs);
        root.setLevel(Level.DEBUG);
        try {
            runEveryKeyPath(scan);
        } finally {
            root.setLevel(rootLevel);
            root.detachAppender(logs);
        }
        synchronized (logs.list) {
            for (ILoggingEvent e : logs.list) {
                scan.text("log " + e.getLoggerName(), e.getFormattedMessage());
                if (e.getThrowableProxy() != null) {
                    scan.text("log stack trace " + e.getLoggerName(), ThrowableProxyUtil.asString(e.getThrowableProxy()));
                }
                scan.text("log MDC " + e.getLoggerName(), e.getMDCPropertyMap());
            }
            assertThat(logs.list).as("the run logged something (DEBUG)").isNotEmpty();
        }

        assertThat(scan.leaks()).as("places where a key leaked").isEmpty();
        // Control: the scan does find a key, a fragment of one, and one held deep inside an object.
        SecretScan control = new SecretScan(secrets);
        control.text("header", "Bearer " + KEYS.get(0)).text("fragment", "…" + KEYS.get(1).substring(10, 24) + "…")
                .reachable("object", Map.of("k", List.of(new StringBuilder(ENV_KEY))));
        assertThat(control.leaks()).hasSize(3);
        assertThat(scan.places()).as("evidence gathered").hasSizeGreaterThan(100);
    }

    private void runEveryKeyPath(SecretScan scan) throws Exception {
        LettuceConnectionFactory factory = LlmixRedisConnections.startedConnectionFactory(REDIS.url());
        closeables.add(factory::destroy);
        REDIS.flushAll();
        TwoTierCache cache = TwoTierCache.builder().strategy(CachingStrategy.REDIS).ttl(Duration.ofSeconds(60))
                .l2(new RedisResponseCacheStore(factory)).l2Executor(Runnable::run).build();
        Queue<Throwable> adapterFailures = new ConcurrentLinkedQueue<>();
        Queue<String> contexts = new ConcurrentLinkedQueue<>();
        DispatchFunction recording = ctx -> {
            contexts.add(ctx.toString());
            CompletableFuture<ProviderResult> f = provider.dispatch().dispatch(ctx).toCompletableFuture();
            return f.whenComplete((r, e) -> {
                if (e != null) {
                    adapterFailures.add(e);
                }
            });
        };
        AtomicReference<CallPipeline> pipelineRef = new AtomicReference<>();
        LlmixMetrics metrics = new LlmixMetrics(null, null, pipelineRef::get);
        CallPipeline pipeline = new CallPipeline(PipelineConfig.builder()
                .maxRetries(1).retryBaseMs(1).retryMaxDelayMs(1).retryJitterMs(0).circuitBreakerThreshold(1000)
                .responseCache(cache).callListener(metrics)
                .stateDir(stateDir).env(name -> null).build(), recording);
        pipelineRef.set(pipeline);
        closeables.add(0, pipeline);
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        metrics.bindTo(meters);
        List<Object> auditEvents = new ArrayList<>();
        LlmixEndpoint endpoint = new LlmixEndpoint(pipeline, new LocalKillSwitch(pipeline::killSwitch),
                LlmixReport.Presets::unknown, auditEvents::add);
        KeyPool pool = new KeyPool(KEYS);
        pipeline.setKeyPool("openai", pool);

        // The provider echoes whatever credential it receives, in bodies and headers.
        provider.behave(r -> {
            String auth = String.valueOf(r.getHeaders().get("authorization"));
            String id = r.getBody() == null ? "" : r.getBody().utf8();
            int status = id.contains("\"s500") ? 500 : id.contains("\"s400") ? 400 : id.contains("\"s429") ? 429
                    : id.contains("\"s401") ? 401 : 200;
            if (id.contains("\"drop")) {
                return new MockResponse.Builder().onRequestStart(new SocketEffect.CloseSocket()).build();
            }
            if (id.contains("\"stall")) {
                return new MockResponse.Builder().onResponseStart(SocketEffect.Stall.INSTANCE).build();
            }
            if (status == 200) {
                return new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json")
                        .addHeader("x-echo-authorization", auth).body(LoopbackProvider.OK_BODY).build();
            }
            return new MockResponse.Builder().code(status).addHeader("Content-Type", "application/json")
                    .addHeader("x-echo-authorization", auth)
                    .body("{\"error\":{\"message\":\"Incorrect API key provided: " + auth.replace("Bearer ", "")
                            + " (header was " + auth + ")\"}}").build();
        });
        LlmConfig cached = provider.preset().caching(CachingStrategy.REDIS).timeout(new TimeoutConfig(1, null))
                .build();
        List<CallResponse> responses = new ArrayList<>();
        for (String id : List.of("ok-1", "ok-2", "ok-1", "s500", "s400", "s429", "drop", "stall", "ok-3")) {
            responses.add(pipeline.call(CallInput.of(cached, LoopbackProvider.message(id))));
            responses.add(pipeline.callAsync(CallInput.of(cached, LoopbackProvider.message(id + "-async")))
                    .get(10, TimeUnit.SECONDS));
        }
        for (int i = 0; i < 3; i++) { // 401s mark every key dead, then the pool is exhausted
            responses.add(pipeline.call(CallInput.of(cached, LoopbackProvider.message("s401-" + i))));
        }
        responses.add(pipeline.call(CallInput.of(cached, LoopbackProvider.message("after-exhaustion"))));
        responses.add(pipeline.call(CallInput.of(LlmConfig.builder("deepseek", "chat").build(),
                LoopbackProvider.message("no pool"))));
        assertThat(responses).anyMatch(CallResponse::success).anyMatch(r -> !r.success());
        assertThat(responses).anyMatch(r -> r.error() != null && r.error().contains("keys are dead"));
        assertThat(adapterFailures).as("the adapter saw the echoing errors").hasSizeGreaterThan(4);

        for (CallResponse r : responses) {
            scan.text("CallResponse toString", r);
            scan.text("CallResponse JSON", JSON.writeValueAsString(r));
        }
        int n = 0;
        for (Throwable t : adapterFailures) {
            scan.throwable("adapter failure #" + n++, t);
        }
        contexts.forEach(c -> scan.text("DispatchContext toString", c));
        try {
            pool.select();
        } catch (RuntimeException e) {
            scan.throwable("KeyPool.select on an exhausted pool", e);
        }
        scan.text("KeyPool toString", pool).text("KeyPool snapshot", pool.snapshot());
        scan.text("PipelineSnapshot", pipeline.snapshot()).text("PipelineSnapshot JSON",
                JSON.writeValueAsString(pipeline.snapshot()));
        KeyPool fromEnv = KeyPools.fromEnv("anthropic", name -> name.equals("ANTHROPIC_API_KEY") ? ENV_KEY : null);
        scan.text("KeyPool from env", fromEnv).text("KeyPool from env snapshot", fromEnv.snapshot());
        try {
            KeyPools.fromEnv("anthropic", name -> name.equals("ANTHROPIC_KEYS") ? "," : null);
        } catch (RuntimeException e) {
            scan.throwable("KeyPools.fromEnv with no usable key", e);
        }

        // Metrics: every meter's id (name, tags, description, base unit) and its measurements.
        for (Meter m : meters.getMeters()) {
            scan.text("meter id", m.getId()).text("meter tags", m.getId().getTags())
                    .text("meter measurements", m.measure());
        }
        assertThat(meters.getMeters()).as("meters were registered").isNotEmpty();
        // Actuator: GET /actuator/llmix as JSON, and the write operations with their audit events.
        scan.text("actuator llmix report", JSON.writeValueAsString(endpoint.report()));
        scan.text("actuator breakers reset", JSON.writeValueAsString(
                endpoint.write("breakers", null, null, null, null, null, null)));
        scan.text("actuator kill switch engaged", JSON.writeValueAsString(
                endpoint.write("killswitch", true, "leak test", null, null, null, null)));
        scan.text("actuator kill switch released", JSON.writeValueAsString(
                endpoint.write("killswitch", false, null, null, null, null, null)));
        scan.text("actuator audit events", auditEvents);

        // The cache holds response text only: in memory and in Redis.
        scan.reachable("TwoTierCache", cache);
        @SuppressWarnings("unchecked")
        List<String> redisKeys = (List<String>) REDIS.command("KEYS", "*");
        assertThat(redisKeys).isNotEmpty();
        for (String k : redisKeys) {
            scan.text("Redis key", k).text("Redis value of " + k, REDIS.command("GET", k));
        }
        scan.text("cache stats", cache.stats()).text("Map of the run", Map.of("contexts", contexts.size()));
    }
}
