package dev.llmix.fleetit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmix.fleetit.FakeProvider.Request;
import dev.llmix.testsupport.RealRedis;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The fleet's acceptance checks 41–44 across four real JVM processes (docs/fleet.md, "Multi-process test"): one
 * {@code redis-server}, one loopback fake provider in this JVM, four Spring Boot applications with the starter. The
 * whole run happens once, before the checks; each check then reads the provider's server-side log and the instances'
 * counters. The load and outage durations are the spec's; to fit the build the scenarios of phase 1 (budget, breaker
 * storm, key revocation) run in parallel on distinct providers and base-URL paths (docs/fleet.md lists what differs).
 */
@Tag("fleet-it")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FleetMultiProcessIT {

    static final int R = 600;
    static final List<String> INSTANCES = List.of("a", "b", "c", "d");
    static final String K1 = "sk-it-key-one-0001";
    static final String K2 = "sk-it-key-two-0002";
    static final String K3 = "sk-it-key-three-0003";

    /** Phase 1: rate budget (check 41, 120 s) with the storm and the revocation running beside it. */
    static final long BUDGET_MS = 120_000;
    /** Phase 2 (check 44): load, Redis killed after KILL_AT_MS for OUTAGE_MS, then a full minute of load. */
    static final long KILL_AT_MS = 10_000;
    static final long OUTAGE_MS = 30_000;
    static final long PHASE2_MS = KILL_AT_MS + OUTAGE_MS + 60_000;
    static final long REVOKE_AFTER_RESTART_MS = 12_000;
    /** Offered per instance: 40 calls/s on the budget (R/4 = 2.5/s is granted), 10/s storm, 5/s keys. */
    static final int BUDGET_RATE = 40;
    static final int STORM_RATE = 10;
    static final int KEYS_RATE = 5;
    static final long STORM_COOLDOWN_MS = 3_000;
    static final int PROBES = 10;
    /** {@code llmix.fleet.keys.dead-ttl}'s default. */
    static final long DEAD_TTL_MS = 3_600_000;
    /** A LOCAL fallback budget of R/4 rpm has a request burst of ceil(150 × 1 s / 60 s) = 3. */
    static final int DEGRADED_BURST = 3;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final JsonMapper json = JsonMapper.builder().build();
    private final Map<String, Instance> instances = new LinkedHashMap<>();
    private @Nullable RealRedis redis;
    private @Nullable FakeProvider provider;

    // What the run observed, for the checks.
    private long phase1StartMs;
    private long stormKeyAt;
    private long stormOpenedAt;
    private long stormOpenUntil;
    private long stormPathAt;
    private long healAt;
    private long revoke1At;
    private long phase2StartMs;
    private long killAt;
    private long restartAt;
    private long revoke2At;
    private final Map<String, JsonNode> finalStats = new LinkedHashMap<>();

    /** One fleet member process and its log. */
    record Instance(String id, Process process, int port, Path log) {
        String url() {
            return "http://127.0.0.1:" + port;
        }
    }

    @BeforeAll
    void runTheFleet() throws Exception {
        Path work = Files.createDirectories(Path.of("target", "fleet-it"));
        try {
            redis = RealRedis.started();
            provider = new FakeProvider();
            startInstances(work);
            phase1();
            phase2();
            Thread.sleep(3_000); // let the last calls of each load finish (preset timeouts are 2 s and 10 s)
            for (Instance i : instances.values()) {
                finalStats.put(i.id(), get(i, "/it/stats"));
            }
            Files.writeString(work.resolve("stats.json"), json.writeValueAsString(finalStats));
            Files.writeString(work.resolve("timeline.txt"), String.join("\n", "phase1Start " + phase1StartMs,
                    "stormKey " + stormKeyAt, "stormOpened " + stormOpenedAt, "stormUntil " + stormOpenUntil, "stormPath " + stormPathAt, "heal " + healAt, "revoke1 " + revoke1At,
                    "phase2Start " + phase2StartMs, "kill " + killAt, "restart " + restartAt, "revoke2 " + revoke2At)
                    + "\n");
            writeProviderLog(work.resolve("provider.log"));
        } finally {
            stopAll();
        }
    }

    @AfterAll
    void stopAll() {
        for (Instance i : instances.values()) {
            i.process().destroyForcibly();
        }
        for (Instance i : instances.values()) {
            try {
                i.process().waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (provider != null) {
            provider.close(); // its log stays readable for the checks
        }
        if (redis != null) {
            redis.close();
            redis = null;
        }
    }

    // ---------------------------------------------------------------------------------------------- checks

    @Test
    void check41_aggregateRateStaysWithinTheFleetBudget() {
        List<Request> budget = provider().requests(r -> r.path().startsWith("/budget/"));
        long maxWindow = maxInAnyWindow(budget, 60_000);
        double minutes = BUDGET_MS / 60_000.0;
        // Granted calls that timed out before or while dispatching (a grant spent without a request): reported only.
        long grantedButTimedOut = finalStats.values().stream()
                .mapToLong(s -> s.path("loads").path("budget").path("failures").path("TIMEOUT").asLong(0)).sum();
        assertThat(budget.size()).as("requests in total (per instance: %s; granted calls that timed out: %d)",
                perInstance(budget), grantedButTimedOut)
                .isLessThanOrEqualTo((int) (1.05 * R * minutes))
                .isGreaterThanOrEqualTo((int) (0.9 * R * minutes));
        assertThat(maxWindow).as("requests in the busiest 60-s window").isLessThanOrEqualTo((long) (1.05 * R));
        // Every instance got a share: the budget is one fleet budget, not four local ones.
        assertThat(perInstance(budget).values()).allSatisfy(n -> assertThat(n).isGreaterThan(0L));
    }

    @Test
    void check42_stormOnOneInstanceOpensTheBreakerEverywhereAndProbesAreCappedFleetWide() {
        String fa = FakeProvider.fingerprint(stormKey("a"));
        List<Request> storm = provider().requests(r -> r.path().equals("/storm"));
        List<Request> failedOnA = storm.stream().filter(r -> r.fp().equals(fa) && r.status() == 503).toList();
        assertThat(failedOnA).as("503s answered to A").hasSizeGreaterThanOrEqualTo(3);
        // The fleet's decision: the opening A's script wrote, in Redis time (this host's clock).
        long opened = stormOpenedAt;
        assertThat(opened).as("A's opening was recorded in Redis within 20 s of its third 503")
                .isGreaterThanOrEqualTo(failedOnA.get(2).atMs());
        // B, C, D stop within 1 s: nothing from them between opened + 1 s and the end of the cooldown.
        List<Request> others = storm.stream()
                .filter(r -> !r.fp().equals(fa) && r.atMs() > opened + 1_000 && r.atMs() < stormOpenUntil)
                .toList();
        assertThat(others).as("requests from B, C, D after A's breaker opened + 1 s, before its cooldown ended")
                .isEmpty();
        assertThat(storm.stream().filter(r -> !r.fp().equals(fa) && r.atMs() < opened)).as("B, C, D were sending")
                .isNotEmpty();

        // Half-open episodes while the whole path answers 503: clusters of requests separated by the cooldowns.
        List<List<Request>> failing = clusters(storm, r -> r.atMs() > stormPathAt && r.atMs() < healAt);
        assertThat(failing).as("failing half-open episodes").hasSizeGreaterThanOrEqualTo(2);
        for (List<Request> episode : failing) {
            assertThat(episode).as("probes passed in one half-open episode, fleet-wide").hasSizeLessThanOrEqualTo(PROBES)
                    .allSatisfy(r -> assertThat(r.status()).isEqualTo(503));
        }
        // Healing: the first episode after healAt closes the breaker; the deciding probe is its PROBES-th request.
        List<Request> afterHeal = storm.stream().filter(r -> r.atMs() > healAt).toList();
        assertThat(afterHeal).hasSizeGreaterThan(PROBES);
        long decided = afterHeal.get(PROBES - 1).atMs();
        for (String id : INSTANCES) {
            String fp = FakeProvider.fingerprint(stormKey(id));
            long first = afterHeal.stream().skip(PROBES).filter(r -> r.fp().equals(fp)).mapToLong(Request::atMs)
                    .findFirst().orElse(Long.MAX_VALUE);
            // 1 s to close, plus a few of this instance's offered-call intervals (10/s) to have a call to send.
            assertThat(first - decided).as("instance %s sends again after the deciding probe (ms)", id)
                    .isLessThanOrEqualTo(1_500);
        }
    }

    @Test
    void check43_keyRevokedOnOneInstanceIsRetiredOnTheOthersWithinOneSecond() {
        assertKeyRetired(K1, revoke1At);
    }

    @Test
    void check44_redisKilledMidRunFailsNoCallAndTheFleetRecovers() {
        // No call fails for a Redis reason, in any load of any instance.
        finalStats.forEach((id, stats) -> stats.path("loads").properties().forEach(load -> assertThat(
                load.getValue().path("failures").path("REDIS").asLong(0))
                .as("%s/%s failures for a Redis reason: %s", id, load.getKey(), load.getValue().path("examples"))
                .isZero()));
        // The outage load fails only by waiting for its budget (offered 40/s against R/4 = 2.5/s), or by a granted
        // call running out of its remaining time in dispatch (see application.properties): never otherwise.
        finalStats.forEach((id, stats) -> assertThat(stats.path("loads").path("outage").path("failures")
                .propertyNames()).as("%s outage failure classes: %s", id, stats.path("loads").path("outage"))
                .isSubsetOf(List.of("BUDGET", "TIMEOUT")));

        // While Redis is down each instance falls back to R/4 per minute.
        long from = killAt + 1_000;
        double minutes = (restartAt - from) / 60_000.0;
        for (String id : INSTANCES) {
            long sent = provider().requests(r -> r.path().equals("/outage/" + id) && r.atMs() >= from
                    && r.atMs() <= restartAt).size();
            assertThat(sent).as("instance %s requests while Redis was down (%.2f min)", id, minutes)
                    .isLessThanOrEqualTo((long) (1.1 * R / 4 * minutes) + DEGRADED_BURST);
        }
        // All healthy again within 10 s of the restart, without a restart of any instance.
        finalStats.forEach((id, stats) -> {
            JsonNode fleet = stats.path("fleet");
            assertThat(fleet.path("healthy").asBoolean()).as("%s healthy at the end", id).isTrue();
            assertThat(fleet.path("sinceEpochMs").asLong() - restartAt).as("%s healthy after the restart (ms)", id)
                    .isBetween(0L, 10_000L);
        });
        // Once every instance is healthy again, every later 60-s window stays within 1.05 × R. (Between the restart
        // and that moment the instances still spend their DEGRADED shares, bursts included, beside a bucket that
        // Redis recreates full: those seconds are still the outage.)
        long allHealthy = finalStats.values().stream().mapToLong(s -> s.path("fleet").path("sinceEpochMs").asLong())
                .max().orElse(restartAt);
        List<Request> after = provider().requests(r -> r.path().startsWith("/outage/") && r.atMs() > allHealthy);
        assertThat(maxInAnyWindow(after, 60_000)).as("busiest 60-s window once all are healthy again")
                .isLessThanOrEqualTo((long) (1.05 * R));
        assertThat(after).as("the fleet budget serves calls again").isNotEmpty();
        // A new revocation after the restart propagates within 1 s.
        assertKeyRetired(K2, revoke2At);
    }

    // ---------------------------------------------------------------------------------------------- the run

    private void phase1() throws Exception {
        for (Instance i : instances.values()) {
            get(i, "/it/stats"); // the first request of a fresh JVM is slow; it must not stagger the loads
        }
        String base = provider().url();
        List<CompletableFuture<Void>> posted = new ArrayList<>();
        for (Instance i : instances.values()) {
            posted.add(load(i, "budget", "budget", base + "/budget/" + i.id(), BUDGET_RATE, BUDGET_MS));
            posted.add(load(i, "storm", "storm", base + "/storm", STORM_RATE, BUDGET_MS));
            posted.add(load(i, "keys", "keys", base + "/keys/" + i.id(), KEYS_RATE, BUDGET_MS + PHASE2_MS + 2_000));
        }
        CompletableFuture.allOf(posted.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        phase1StartMs = System.currentTimeMillis();
        Thread.sleep(5_000);
        // Check 43: k1 revoked, as far as A's path is concerned.
        provider().answerKey("/keys/a", FakeProvider.fingerprint(K1), 401);
        // Check 42: a 503 storm that only A sees.
        String fa = FakeProvider.fingerprint(stormKey("a"));
        stormKeyAt = System.currentTimeMillis();
        provider().answerKey("/storm", fa, 503);
        awaitRequests(r -> r.path().equals("/storm") && r.fp().equals(fa) && r.status() == 503, 3, 20_000);
        JsonNode opening = awaitStormOpening();
        // Without a fleet opening (check 42 then fails on it), the rest of the run still serves the other checks.
        stormOpenedAt = opening == null ? -1 : opening.path("nowMs").asLong();
        stormOpenUntil = opening == null ? -1 : opening.path("untilMs").asLong();
        long thirdFailure = opening == null ? System.currentTimeMillis() : stormOpenedAt;
        // The others must have opened by hearing of it, not by failing themselves: the path fails for everyone only
        // once the 1-s propagation bound is over, before the first half-open episode.
        sleepUntil(thirdFailure + 1_200);
        stormPathAt = System.currentTimeMillis();
        provider().answerPath("/storm", 503);
        provider().answerKey("/storm", fa, 0);
        // Two failing episodes (cooldown 3 s, then 6 s), then heal before the third (12 s later).
        sleepUntil(thirdFailure + STORM_COOLDOWN_MS * 3 + 6_000);
        healAt = System.currentTimeMillis();
        provider().answerPath("/storm", 0);
        revoke1At = deadMarkedAt(K1);
        sleepUntil(phase1StartMs + BUDGET_MS + 2_000);
    }

    private void phase2() throws Exception {
        phase2StartMs = System.currentTimeMillis();
        String base = provider().url();
        List<CompletableFuture<Void>> posted = new ArrayList<>();
        for (Instance i : instances.values()) {
            posted.add(load(i, "outage", "budget", base + "/outage/" + i.id(), BUDGET_RATE, PHASE2_MS));
        }
        CompletableFuture.allOf(posted.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        phase2StartMs = System.currentTimeMillis();
        sleepUntil(phase2StartMs + KILL_AT_MS);
        killAt = System.currentTimeMillis();
        redis().kill();
        sleepUntil(killAt + OUTAGE_MS);
        restartAt = System.currentTimeMillis();
        redis().restart();
        sleepUntil(restartAt + REVOKE_AFTER_RESTART_MS);
        provider().answerKey("/keys/a", FakeProvider.fingerprint(K2), 401);
        awaitRequests(r -> r.path().equals("/keys/a") && r.status() == 401
                && r.fp().equals(FakeProvider.fingerprint(K2)), 1, 10_000);
        revoke2At = deadMarkedAt(K2);
        sleepUntil(phase2StartMs + PHASE2_MS);
    }

    private void assertKeyRetired(String key, long revokedAt) {
        String fp = FakeProvider.fingerprint(key);
        assertThat(revokedAt).as("A's fleet-wide mark of %s (Redis time)", fp).isPositive();
        assertThat(provider().requests(r -> r.path().equals("/keys/a") && r.fp().equals(fp) && r.status() == 401
                && r.atMs() <= revokedAt)).as("A was answered 401 for %s before it marked the key", fp).isNotEmpty();
        List<Request> others = provider().requests(r -> r.fp().equals(fp) && r.path().startsWith("/keys/")
                && !r.path().equals("/keys/a"));
        assertThat(others.stream().filter(r -> r.atMs() <= revokedAt)).as("B, C, D used the key before").isNotEmpty();
        assertThat(others.stream().filter(r -> r.atMs() > revokedAt + 1_000))
                .as("requests with the revoked key from B, C, D later than 1 s after A retired it").isEmpty();
        assertThat(provider().requests(r -> r.path().startsWith("/keys/") && !r.path().equals("/keys/a")
                && r.atMs() > revokedAt + 1_000)).as("B, C, D keep calling with their other keys").isNotEmpty();
    }

    // ---------------------------------------------------------------------------------------------- processes

    private void startInstances(Path work) throws Exception {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<CompletableFuture<Integer>> ready = new ArrayList<>();
        List<Process> processes = new ArrayList<>();
        for (String id : INSTANCES) {
            Path log = work.resolve("instance-" + id + ".log");
            Path state = Files.createDirectories(work.resolve("kill-switch-" + id));
            List<String> command = List.of(java, "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                    "-Djava.util.concurrent.ForkJoinPool.common.parallelism=2",
                    "-cp", classpath, FleetItApplication.class.getName(),
                    "--server.port=0",
                    "--spring.data.redis.url=" + redis().url(),
                    "--llmix.fleet.instance-id=it-" + id,
                    "--llmix.kill-switch.state-dir=" + state.toAbsolutePath(),
                    "--llmix.provider.openai.api-keys=sk-it-budget-" + id,
                    "--llmix.provider.openrouter.api-keys=" + stormKey(id),
                    "--llmix.provider.deepinfra.api-keys=" + K1 + "," + K2 + "," + K3);
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            processes.add(p);
            ready.add(pump(p, log));
            // Registered before waiting, so that a start that never becomes READY is still killed.
            instances.put(id, new Instance(id, p, -1, log));
        }
        for (int n = 0; n < INSTANCES.size(); n++) {
            String id = INSTANCES.get(n);
            int port = ready.get(n).get(240, TimeUnit.SECONDS);
            instances.put(id, new Instance(id, processes.get(n), port, work.resolve("instance-" + id + ".log")));
        }
    }

    /** Copies the process output to its log and completes with the port of its READY line. */
    private static CompletableFuture<Integer> pump(Process p, Path log) {
        CompletableFuture<Integer> ready = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(),
                    StandardCharsets.UTF_8)); PrintWriter out = new PrintWriter(Files.newBufferedWriter(log))) {
                String line;
                while ((line = in.readLine()) != null) {
                    out.println(line);
                    out.flush();
                    if (line.startsWith("READY port=")) {
                        ready.complete(Integer.parseInt(line.substring("READY port=".length()).trim()));
                    }
                }
            } catch (IOException e) {
                ready.completeExceptionally(e);
            }
            ready.completeExceptionally(new IllegalStateException("process ended before READY; see " + log));
        }, "it-pump-" + log.getFileName());
        t.setDaemon(true);
        t.start();
        return ready;
    }

    private CompletableFuture<Void> load(Instance i, String name, String preset, String baseUrl, int rate,
            long durationMs) {
        String body = json.writeValueAsString(Map.of("name", name, "module", "it", "preset", preset,
                "baseUrl", baseUrl, "rate", rate, "durationMs", durationMs));
        return http.sendAsync(HttpRequest.newBuilder(URI.create(i.url() + "/it/load"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString()).thenAccept(r -> {
                    if (r.statusCode() != 200) {
                        throw new IllegalStateException("POST /it/load on " + i.id() + ": " + r.body());
                    }
                });
    }

    /** The breaker state A's opening script wrote (Redis time), read from Redis as soon as it is there. */
    private @Nullable JsonNode awaitStormOpening() throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() - end < 0) {
            Object keys = redis().command("KEYS", "llmix:fleet:breaker:{openrouter:*}");
            if (keys instanceof List<?> list) {
                for (Object k : list) {
                    if (String.valueOf(k).endsWith(":probes")) {
                        continue;
                    }
                    Object value = redis().command("GET", String.valueOf(k));
                    if (value != null) {
                        JsonNode state = json.readTree(String.valueOf(value));
                        if ("OPEN".equals(state.path("state").asString())) {
                            return state;
                        }
                    }
                }
            }
            Thread.sleep(20);
        }
        return null;
    }

    private JsonNode get(Instance i, String path) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(i.url() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("GET %s on %s", path, i.id()).isEqualTo(200);
        return json.readTree(r.body());
    }

    // ---------------------------------------------------------------------------------------------- helpers

    static String stormKey(String id) {
        return "sk-it-storm-" + id + "-0000";
    }

    private RealRedis redis() {
        RealRedis r = redis;
        if (r == null) {
            throw new IllegalStateException("Redis not started");
        }
        return r;
    }

    private FakeProvider provider() {
        FakeProvider p = provider;
        if (p == null) {
            // The checks read the log after the run closed the server: keep a reference to it.
            throw new IllegalStateException("provider not started");
        }
        return p;
    }

    private long awaitRequests(Predicate<Request> filter, int count, long timeoutMs) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (System.nanoTime() - end < 0) {
            List<Request> seen = provider().requests(filter);
            if (seen.size() >= count) {
                return seen.get(count - 1).atMs();
            }
            Thread.sleep(20);
        }
        throw new AssertionError("the provider never saw " + count + " such requests within " + timeoutMs + " ms");
    }

    /**
     * When A retired the key fleet-wide, in Redis time: the score of its fingerprint in the shared dead set is that
     * moment plus the dead-key TTL (1 h). -1 when no mark appears within 20 s (the check then fails on it).
     */
    private long deadMarkedAt(String key) throws InterruptedException {
        String fp = FakeProvider.fingerprint(key);
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() - end < 0) {
            Object score = redis().command("ZSCORE", "llmix:fleet:keys:{deepinfra}:dead", fp);
            if (score != null) {
                return (long) Double.parseDouble(String.valueOf(score)) - DEAD_TTL_MS;
            }
            Thread.sleep(20);
        }
        return -1;
    }

    private static void sleepUntil(long epochMs) throws InterruptedException {
        long wait = epochMs - System.currentTimeMillis();
        if (wait > 0) {
            Thread.sleep(wait);
        }
    }

    /** Largest number of requests in any window [t, t + width) starting at a request. */
    static long maxInAnyWindow(List<Request> sorted, long width) {
        long max = 0;
        int j = 0;
        for (int i = 0; i < sorted.size(); i++) {
            if (j < i) {
                j = i;
            }
            while (j < sorted.size() && sorted.get(j).atMs() < sorted.get(i).atMs() + width) {
                j++;
            }
            max = Math.max(max, j - i);
        }
        return max;
    }

    /** Requests matching the filter, split wherever two consecutive ones are more than 1 s apart. */
    static List<List<Request>> clusters(List<Request> sorted, Predicate<Request> filter) {
        List<List<Request>> out = new ArrayList<>();
        List<Request> current = new ArrayList<>();
        long last = Long.MIN_VALUE;
        for (Request r : sorted) {
            if (!filter.test(r)) {
                continue;
            }
            if (!current.isEmpty() && r.atMs() - last > 1_000) {
                out.add(current);
                current = new ArrayList<>();
            }
            current.add(r);
            last = r.atMs();
        }
        if (!current.isEmpty()) {
            out.add(current);
        }
        return out;
    }

    private static Map<String, Long> perInstance(List<Request> requests) {
        return requests.stream().collect(Collectors.groupingBy(r -> r.path().substring(r.path().lastIndexOf('/') + 1),
                java.util.TreeMap::new, Collectors.counting()));
    }

    private void writeProviderLog(Path file) {
        try {
            Files.write(file, provider().requests(r -> true).stream()
                    .map(r -> r.atMs() + " " + r.path() + " " + r.fp() + " " + r.status()).toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
