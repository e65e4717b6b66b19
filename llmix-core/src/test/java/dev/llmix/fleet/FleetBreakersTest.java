package dev.llmix.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmix.resilience.CircuitBreaker;
import dev.llmix.resilience.CircuitBreakerConfig;
import dev.llmix.resilience.CircuitBreakerRegistry;
import dev.llmix.resilience.CircuitOpenException;
import dev.llmix.resilience.CircuitState;
import dev.llmix.testsupport.FleetClients;
import dev.llmix.testsupport.RealRedis;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Shared circuit breakers: two coordinators with their own registries on one real Redis (docs/fleet.md). */
class FleetBreakersTest {

    @RegisterExtension
    static final RealRedis REDIS = RealRedis.create();

    private static final String KEY = "llmix:fleet:breaker:{openai:e3b0c44298fc1c14}";
    private static final Duration SECOND = Duration.ofSeconds(1);

    private FleetClients fleet;
    private CircuitBreakerRegistry regA;
    private CircuitBreakerRegistry regB;
    private FleetRuntime a;
    private FleetRuntime b;
    private FleetBreakers fa;
    private FleetBreakers fb;

    @BeforeEach
    void setUp() {
        REDIS.flushAll();
        fleet = new FleetClients(REDIS);
    }

    @AfterEach
    void tearDown() {
        fleet.close();
    }

    private void start(CircuitBreakerConfig config) {
        start(config, Duration.ofSeconds(150));
    }

    private void start(CircuitBreakerConfig config, Duration probeWindow) {
        regA = new CircuitBreakerRegistry(config);
        regB = new CircuitBreakerRegistry(config);
        a = fleet.startHealthy(FleetClients.quick("a").breakersShared(true).probeWindow(probeWindow).build());
        b = fleet.startHealthy(FleetClients.quick("b").breakersShared(true).probeWindow(probeWindow).build());
        fa = FleetBreakers.attach(a, regA);
        fb = FleetBreakers.attach(b, regB);
    }

    private static JsonNode stored() {
        Object raw = REDIS.command("GET", KEY);
        assertThat(raw).as("breaker state in Redis").isNotNull();
        return JsonMapper.builder().build().readTree((String) raw);
    }

    private static CircuitState state(CircuitBreakerRegistry reg) {
        CircuitBreaker br = reg.find("openai", "");
        return br == null ? CircuitState.CLOSED : br.state();
    }

    private static void await(String what, java.util.function.BooleanSupplier c) {
        FleetClients.eventually(SECOND, c, what + " within 1 s");
    }

    private static void trip(CircuitBreakerRegistry reg, int failures) {
        CircuitBreaker br = reg.breaker("openai", "");
        for (int i = 0; i < failures; i++) {
            br.check();
            br.onFailure(503, false);
        }
    }

    @Test
    void thresholdOnAPublishesTheStateAndOpensBWithinOneSecondThenBothEnterHalfOpenAtUntilMs() {
        start(new CircuitBreakerConfig(1, Duration.ofMillis(1500), 3));
        trip(regA, 1);
        await("B OPEN", () -> state(regB) == CircuitState.OPEN);
        JsonNode s = stored();
        assertThat(s.path("v").asInt()).isEqualTo(1);
        assertThat(s.path("type").asString()).isEqualTo("breaker");
        assertThat(s.path("bid").asString()).isEqualTo("openai:e3b0c44298fc1c14");
        assertThat(s.path("provider").asString()).isEqualTo("openai");
        assertThat(s.path("baseUrl").asString()).isEmpty();
        assertThat(s.path("state").asString()).isEqualTo("OPEN");
        assertThat(s.path("cooldownMs").asLong()).isEqualTo(1500);
        assertThat(s.path("baseCooldownMs").asLong()).isEqualTo(1500);
        assertThat(s.path("untilMs").asLong() - s.path("nowMs").asLong()).isEqualTo(1500);
        assertThat(s.path("gen").asLong()).isGreaterThanOrEqualTo(s.path("nowMs").asLong() * 1000);
        assertThat(s.path("src").asString()).isEqualTo("a");
        assertThat(s.path("cause").asString()).isEqualTo("threshold");
        assertThat(REDIS.command("SMEMBERS", "llmix:fleet:breakers")).isEqualTo(List.of("openai:e3b0c44298fc1c14"));
        long ttl = (Long) REDIS.command("PTTL", KEY);
        assertThat(ttl).isBetween(1L, 1500L + 600_000L);
        // Both follow Redis time: HALF_OPEN only once untilMs has passed.
        long until = s.path("untilMs").asLong();
        FleetClients.eventually(Duration.ofSeconds(3), () -> state(regB) == CircuitState.HALF_OPEN, "B HALF_OPEN");
        assertThat(b.clock().redisMillis()).isGreaterThanOrEqualTo(until);
        assertThat(state(regA)).isEqualTo(CircuitState.HALF_OPEN);
    }

    @Test
    void successfulCallsWhileClosedIssueNoBreakerCommand() {
        start(new CircuitBreakerConfig(3, SECOND, 3));
        CircuitBreaker br = regA.breaker("openai", "");
        long before = scriptCalls();
        for (int i = 0; i < 1000; i++) {
            br.check();
            br.onSuccess();
        }
        assertThat(scriptCalls()).isEqualTo(before);
        assertThat(REDIS.command("EXISTS", KEY)).isEqualTo(0L);
    }

    @Test
    void halfOpenAdmitsThePermittedProbesFleetWideAndAStrictMajorityClosesBoth() {
        start(new CircuitBreakerConfig(1, Duration.ofMillis(300), 3));
        trip(regA, 1);
        await("B OPEN", () -> state(regB) == CircuitState.OPEN);
        FleetClients.eventually(Duration.ofSeconds(3), () -> state(regA) == CircuitState.HALF_OPEN
                && state(regB) == CircuitState.HALF_OPEN, "both HALF_OPEN");
        CircuitBreaker ba = regA.breaker("openai", "");
        CircuitBreaker bb = regB.breaker("openai", "");
        int admitted = 0;
        int rejected = 0;
        java.util.List<CircuitBreaker> probes = new java.util.ArrayList<>();
        for (int i = 0; i < 5; i++) {
            for (CircuitBreaker br : List.of(ba, bb)) {
                try {
                    br.check();
                    admitted++;
                    probes.add(br);
                } catch (CircuitOpenException e) {
                    assertThat(e).hasMessageContaining("Circuit breaker OPEN for (openai, )");
                    rejected++;
                }
            }
        }
        assertThat(admitted).isEqualTo(3);
        assertThat(rejected).isEqualTo(7);
        probes.get(0).onSuccess();
        probes.get(1).onSuccess();
        probes.get(2).onFailure(503, false);
        await("both CLOSED", () -> state(regA) == CircuitState.CLOSED && state(regB) == CircuitState.CLOSED);
        assertThat(stored().path("state").asString()).isEqualTo("CLOSED");
        assertThat(stored().path("cause").asString()).isEqualTo("probes");
        await("set emptied", () -> REDIS.command("SCARD", "llmix:fleet:breakers").equals(0L));
    }

    @Test
    void failedMajorityReopensBothWithTheCooldownDoubledAndCappedAtFiveMinutes() {
        start(new CircuitBreakerConfig(1, Duration.ofMillis(300), 3));
        trip(regA, 1);
        FleetClients.eventually(Duration.ofSeconds(3), () -> state(regA) == CircuitState.HALF_OPEN
                && state(regB) == CircuitState.HALF_OPEN, "both HALF_OPEN");
        CircuitBreaker ba = regA.breaker("openai", "");
        CircuitBreaker bb = regB.breaker("openai", "");
        ba.check();
        bb.check();
        ba.check();
        ba.onSuccess();
        bb.onFailure(503, false);
        ba.onFailure(null, true);
        await("both OPEN", () -> state(regA) == CircuitState.OPEN && state(regB) == CircuitState.OPEN);
        assertThat(stored().path("cooldownMs").asLong()).isEqualTo(600);
        assertThat(stored().path("cause").asString()).isEqualTo("probes");
        assertThat(bb.cooldownNanos()).isEqualTo(600_000_000L);
        // The cap: a stored cooldown of 200 s doubles to 300 s, not 400 s.
        REDIS.command("SET", KEY, stored().toString().replace("\"cooldownMs\":600", "\"cooldownMs\":200000")
                .replaceAll("\"untilMs\":\\d+", "\"untilMs\":0"));
        FleetClients.eventually(Duration.ofSeconds(3), () -> state(regA) == CircuitState.HALF_OPEN, "A HALF_OPEN");
        for (int i = 0; i < 3; i++) {
            ba.check();
        }
        for (int i = 0; i < 3; i++) {
            ba.onFailure(503, false);
        }
        await("cap", () -> stored().path("cooldownMs").asLong() == 300_000L);
    }

    @Test
    void anUnreportedProbeIsCountedAsFailedOnceTheProbeWindowIsOver() {
        start(new CircuitBreakerConfig(1, Duration.ofMillis(300), 2), Duration.ofSeconds(2));
        trip(regA, 1);
        FleetClients.eventually(Duration.ofSeconds(3), () -> state(regA) == CircuitState.HALF_OPEN
                && state(regB) == CircuitState.HALF_OPEN, "both HALF_OPEN");
        CircuitBreaker ba = regA.breaker("openai", "");
        CircuitBreaker bb = regB.breaker("openai", "");
        ba.check(); // never reported
        bb.check();
        bb.onSuccess();
        long started = Long.parseLong((String) REDIS.command("HGET", KEY + ":probes", "startedMs"));
        FleetClients.eventually(Duration.ofSeconds(5), () -> {
            try {
                bb.check();
                return false;
            } catch (CircuitOpenException e) {
                return "probe-timeout".equals(stored().path("cause").asString());
            }
        }, "no probe-timeout decision");
        JsonNode s = stored();
        assertThat(s.path("state").asString()).isEqualTo("OPEN");
        assertThat(s.path("nowMs").asLong() - started).isGreaterThanOrEqualTo(2000);
        await("A OPEN", () -> state(regA) == CircuitState.OPEN);
    }

    @Test
    void simultaneousThresholdsShareOneGenerationAndAnOldOpenReplayedAfterCloseIsIgnored() {
        start(new CircuitBreakerConfig(1, Duration.ofSeconds(30), 3));
        trip(regA, 1);
        trip(regB, 1);
        await("views", () -> gen(fa) != 0 && gen(fb) != 0);
        JsonNode s = stored();
        long gen = s.path("gen").asLong();
        await("same gen", () -> gen(fa) == gen && gen(fb) == gen);
        assertThat(regA.find("openai", "").remainingOpenNanos() / 1_000_000)
                .isCloseTo(regB.find("openai", "").remainingOpenNanos() / 1_000_000, org.assertj.core.data.Offset.offset(200L));
        String oldOpen = s.toString();
        regA.reset("openai", "");
        await("B CLOSED", () -> state(regB) == CircuitState.CLOSED);
        assertThat(stored().path("cause").asString()).isEqualTo("reset");
        REDIS.command("PUBLISH", "llmix:fleet:events", oldOpen.replace("\"src\":\"a\"", "\"src\":\"z\"")
                .replace("\"src\":\"b\"", "\"src\":\"z\""));
        REDIS.command("SET", KEY, oldOpen);
        // Neither the replayed message nor the polled old state (same old gen) reopens B.
        long polls = 5;
        for (int i = 0; i < polls; i++) {
            sleep(100);
            assertThat(state(regB)).isEqualTo(CircuitState.CLOSED);
        }
    }

    @Test
    void actuatorStyleResetOnAClosesBWithinOneSecond() {
        start(new CircuitBreakerConfig(1, Duration.ofSeconds(30), 3));
        trip(regA, 1);
        await("B OPEN", () -> state(regB) == CircuitState.OPEN);
        assertThat(regA.reset("openai", "")).isTrue();
        await("B CLOSED", () -> state(regB) == CircuitState.CLOSED);
    }

    @Test
    void aSubscriptionKilledIsCoveredByPollingEvenForABreakerBNeverCreated() {
        start(new CircuitBreakerConfig(1, Duration.ofSeconds(30), 3));
        REDIS.command("CLIENT", "KILL", "TYPE", "pubsub");
        trip(regA, 1);
        assertThat(regB.find("openai", "")).isNull();
        await("B OPEN by polling", () -> state(regB) == CircuitState.OPEN);
    }

    @Test
    void afterFlushAllTheNextOpenHasALargerGenerationAndBAppliesIt() {
        start(new CircuitBreakerConfig(1, Duration.ofSeconds(30), 3));
        trip(regA, 1);
        await("B OPEN", () -> state(regB) == CircuitState.OPEN);
        long first = stored().path("gen").asLong();
        REDIS.flushAll();
        regA.reset("openai", ""); // a local reset writes CLOSED again with a new generation
        await("B CLOSED", () -> state(regB) == CircuitState.CLOSED);
        trip(regA, 1);
        await("B OPEN again", () -> state(regB) == CircuitState.OPEN);
        assertThat(stored().path("gen").asLong()).isGreaterThan(first);
    }

    @Test
    void redisDownLeavesBreakersLocalAndRecoveryPublishesTheOutagesOpenBreakers() {
        start(new CircuitBreakerConfig(1, Duration.ofSeconds(30), 3));
        REDIS.kill();
        FleetClients.eventually(Duration.ofSeconds(5), () -> !a.healthy(), "A never noticed");
        CircuitBreaker br = regA.breaker("openai", "");
        br.check(); // no exception: no call fails because of Redis
        br.onFailure(503, false);
        assertThat(br.state()).isEqualTo(CircuitState.OPEN);
        REDIS.restart();
        FleetClients.eventually(Duration.ofSeconds(10), () -> a.healthy() && b.healthy(), "never recovered");
        await("B OPEN after resync", () -> state(regB) == CircuitState.OPEN);
        assertThat(stored().path("cause").asString()).isEqualTo("resync");
        assertThat(stored().path("untilMs").asLong() - stored().path("nowMs").asLong()).isBetween(1L, 30_000L);
    }

    @Test
    void aHalfOpenEpisodeBegunDuringAnOutageThatFailsAfterRecoveryReopensAndIsPublished() {
        start(new CircuitBreakerConfig(1, SECOND, 1));
        REDIS.kill();
        FleetClients.eventually(Duration.ofSeconds(5), () -> !a.healthy(), "A never noticed");
        CircuitBreaker br = regA.breaker("openai", "");
        br.check();
        br.onFailure(503, false);
        FleetClients.eventually(Duration.ofSeconds(3), () -> br.state() == CircuitState.HALF_OPEN, "A HALF_OPEN");
        br.check(); // the episode's only probe, admitted locally while Redis is down
        REDIS.restart();
        FleetClients.eventually(Duration.ofSeconds(10), () -> a.healthy() && b.healthy(), "never recovered");

        br.onFailure(503, false); // the probe fails once Redis is back

        assertThat(br.state()).as("A after its local episode failed").isEqualTo(CircuitState.OPEN);
        await("B OPEN", () -> state(regB) == CircuitState.OPEN);
        assertThat(stored().path("cause").asString()).isEqualTo("probes");
        assertThat(stored().path("cooldownMs").asLong()).as("cooldown doubled by the failed episode").isEqualTo(2000);
    }

    private static long gen(FleetBreakers f) {
        FleetBreakers.View v = f.view("openai", "");
        return v == null ? 0 : v.generation();
    }

    private static long scriptCalls() {
        String info = (String) REDIS.command("INFO", "commandstats");
        long n = 0;
        Matcher m = Pattern.compile("cmdstat_(evalsha|eval):calls=(\\d+)").matcher(info);
        while (m.find()) {
            n += Long.parseLong(m.group(2));
        }
        return n;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
