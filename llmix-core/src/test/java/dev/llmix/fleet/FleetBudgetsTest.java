package dev.llmix.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmix.budget.BudgetCost;
import dev.llmix.budget.BudgetDimension;
import dev.llmix.budget.BudgetEnvironment;
import dev.llmix.budget.BudgetLimits;
import dev.llmix.budget.BudgetListener;
import dev.llmix.budget.BudgetMode;
import dev.llmix.budget.BudgetScope;
import dev.llmix.budget.RateBudget;
import dev.llmix.budget.RateLimitObservation;
import dev.llmix.budget.RateLimits;
import dev.llmix.budget.RateBudgetSnapshot;
import dev.llmix.internal.DaemonThreads;
import dev.llmix.internal.budget.LocalRateBudgetFactory;
import dev.llmix.testsupport.FleetClients;
import dev.llmix.testsupport.RealRedis;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * FLEET budgets on the fleet runtime (docs/fleet-budgets.md): declarations, learned limits and configuration versions
 * shared by two coordinators on one real Redis.
 */
class FleetBudgetsTest {

    @RegisterExtension
    static final RealRedis REDIS = RealRedis.create();

    private static final BudgetScope OPENAI = BudgetScope.provider("openai");
    private static final String CONF = "llmix:fleet:budget:{p:openai}:conf";

    private FleetClients fleet;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(
            DaemonThreads.named("test-budget-scheduler"));
    private final ExecutorService executor = Executors.newFixedThreadPool(2, DaemonThreads.named("test-budget"));
    private final List<RateBudget> budgets = new ArrayList<>();

    @BeforeEach
    void setUp() {
        REDIS.flushAll();
        fleet = new FleetClients(REDIS);
    }

    @AfterEach
    void tearDown() {
        budgets.forEach(RateBudget::close);
        fleet.close();
        scheduler.shutdownNow();
        executor.shutdownNow();
    }

    private FleetRuntime runtime(String id) {
        return fleet.startHealthy(FleetClients.quick(id).budgetsShared(true).build());
    }

    private RateBudget budget(FleetBudgets fb, long rpm) {
        BudgetEnvironment env = new BudgetEnvironment(scheduler, executor, System::nanoTime, BudgetListener.NOOP,
                LocalRateBudgetFactory.INSTANCE);
        RateBudget b = fb.factory().create(OPENAI, BudgetLimits.of(RateLimits.rpm(rpm)), env);
        budgets.add(b);
        return b;
    }

    private static RateBudgetSnapshot.Dimension rpm(RateBudget b) {
        return b.snapshot().dimension(BudgetDimension.RPM);
    }

    private static long storedVersion() {
        Object v = REDIS.command("HGET", CONF, "v");
        return v == null ? 0 : Long.parseLong(String.valueOf(v));
    }

    @Test
    void aReportOf500OnAIncrementsTheVersionAndBsEffectiveIs500WithinOneSecond() throws Exception {
        FleetBudgets a = FleetBudgets.attach(runtime("a"), FleetBudgetSettings.DEFAULTS, 0);
        FleetBudgets b = FleetBudgets.attach(runtime("b"), FleetBudgetSettings.DEFAULTS, 0);
        RateBudget ba = budget(a, 600);
        RateBudget bb = budget(b, 600);
        FleetClients.eventually(Duration.ofSeconds(2), () -> b.config(OPENAI) != null && a.config(OPENAI) != null,
                "declarations never read back");
        long before = storedVersion();
        assertThat(rpm(bb).effective()).isEqualTo(600);
        assertThat(rpm(bb).capacity()).isEqualTo(10);

        ba.observe(RateLimitObservation.fromHeaders(Map.of("x-ratelimit-limit-requests", "500",
                "x-ratelimit-reset-requests", "1s")));

        FleetClients.eventually(Duration.ofSeconds(1), () -> rpm(bb).effective() == 500,
                "B never adopted the learned 500");
        assertThat(storedVersion()).isEqualTo(before + 1);
        assertThat(String.valueOf(REDIS.command("HGET", CONF, "rpm:eff"))).isEqualTo("500");
        assertThat(rpm(bb).learned()).isEqualTo(500);
        assertThat(rpm(bb).configured()).isEqualTo(600);
        assertThat(rpm(bb).capacity()).as("ceil(500 x 1 s / 1 min)").isEqualTo(9);
        assertThat(bb.snapshot().version()).isEqualTo(before + 1);
        // The next top-up rebuilds B's proxy at the new version, so the stored bucket takes capacity 9.
        bb.acquire(BudgetCost.of(1, 1), System.nanoTime() + Duration.ofSeconds(5).toNanos()).toCompletableFuture()
                .get();
        assertThat(bb.mode()).isEqualTo(BudgetMode.FLEET);
    }

    @Test
    void declarations600On_AAnd400On_BGive400AndBack600AfterBStops() {
        FleetBudgets a = FleetBudgets.attach(runtime("a"), FleetBudgetSettings.DEFAULTS, 0);
        FleetRuntime rtB = runtime("b");
        FleetBudgets b = FleetBudgets.attach(rtB, FleetBudgetSettings.DEFAULTS, 0);
        RateBudget ba = budget(a, 600);
        budget(b, 400);

        FleetClients.eventually(Duration.ofSeconds(2), () -> rpm(ba).effective() == 400, "A never saw 400");
        assertThat(rpm(ba).fleetConfigured()).isEqualTo(400);
        assertThat(rpm(ba).configured()).isEqualTo(600);

        rtB.close();
        Duration memberTtl = FleetClients.quick("x").build().memberTtl();
        Duration heartbeat = FleetClients.quick("x").build().heartbeatInterval();
        FleetClients.eventually(memberTtl.plus(heartbeat).plusSeconds(1), () -> rpm(ba).effective() == 600,
                "A never returned to 600 after B stopped");
        assertThat(rpm(ba).fleetConfigured()).isEqualTo(600);
    }

    @Test
    void anOlderVersionNeverWins() {
        FleetBudgets a = FleetBudgets.attach(runtime("a"), FleetBudgetSettings.DEFAULTS, 0);
        RateBudget ba = budget(a, 600);
        ba.observe(new RateLimitObservation(500, 0, 0, 0));
        FleetClients.eventually(Duration.ofSeconds(1), () -> rpm(ba).effective() == 500, "500 never applied");
        long v = ba.snapshot().version();

        // A replayed older configuration, as a message or a late poll reply, changes nothing.
        REDIS.command("PUBLISH", "llmix:fleet:events", "{\"v\":1,\"type\":\"budget-config\",\"scope\":\"p:openai\","
                + "\"version\":" + (v - 1) + ",\"cfg\":[600,0,0,0],\"learned\":[0,0,0,0],\"eff\":[600,0,0,0],"
                + "\"src\":\"old\"}");
        // A newer one published afterwards is applied, so the older one was seen first and ignored.
        REDIS.command("PUBLISH", "llmix:fleet:events", "{\"v\":1,\"type\":\"budget-config\",\"scope\":\"p:openai\","
                + "\"version\":" + (v + 5) + ",\"cfg\":[600,0,0,0],\"learned\":[450,0,0,0],\"eff\":[450,0,0,0],"
                + "\"src\":\"new\"}");
        FleetClients.eventually(Duration.ofSeconds(1), () -> ba.snapshot().version() == v + 5, "newer never applied");
        assertThat(rpm(ba).effective()).isEqualTo(450);
    }

    private static long degradedRpm(RateBudget b) throws Exception {
        // An acquisition while Redis is unhealthy builds the LOCAL fallback with the divided limits.
        b.acquire(BudgetCost.of(1, 1), System.nanoTime() + Duration.ofSeconds(5).toNanos()).toCompletableFuture()
                .get().release();
        RateBudget fallback = ((FleetRateBudget) b).currentFallback();
        assertThat(fallback).as("DEGRADED fallback").isNotNull();
        return fallback.snapshot().dimension(BudgetDimension.RPM).configured();
    }

    @Test
    void fourMembersLastSeenDivideTheDegradedLimit600Into150() throws Exception {
        FleetRuntime rt = runtime("a");
        for (String id : List.of("b", "c", "d")) {
            runtime(id);
        }
        FleetClients.eventually(Duration.ofSeconds(2), () -> rt.members() == 4, "A never saw four members");
        RateBudget b = budget(FleetBudgets.attach(rt, FleetBudgetSettings.DEFAULTS, 0), 600);
        REDIS.kill();
        try {
            FleetClients.eventually(Duration.ofSeconds(5), () -> !rt.healthy(), "outage never noticed");
            assertThat(b.mode()).isEqualTo(BudgetMode.DEGRADED);
            assertThat(degradedRpm(b)).isEqualTo(150);
        } finally {
            REDIS.restart();
        }
    }

    @Test
    void degradedInstancesTwoDivideTheDegradedLimit600Into300() throws Exception {
        FleetRuntime rt = runtime("a");
        RateBudget b = budget(FleetBudgets.attach(rt, FleetBudgetSettings.DEFAULTS, 2), 600);
        REDIS.kill();
        try {
            FleetClients.eventually(Duration.ofSeconds(5), () -> !rt.healthy(), "outage never noticed");
            assertThat(degradedRpm(b)).isEqualTo(300);
        } finally {
            REDIS.restart();
        }
    }

    @Test
    void aRuntimeThatNeverConnectedKeepsTheWhole600WhileDegraded() throws Exception {
        io.lettuce.core.RedisClient nowhere = io.lettuce.core.RedisClient.create(
                io.lettuce.core.RedisURI.create("127.0.0.1", 1));
        nowhere.setOptions(io.lettuce.core.ClientOptions.builder()
                .socketOptions(io.lettuce.core.SocketOptions.builder().connectTimeout(Duration.ofMillis(300)).build())
                .build());
        try (FleetRuntime rt = FleetRuntime.start(FleetClients.quick("lonely").budgetsShared(true).build(),
                nowhere)) {
            RateBudget b = budget(FleetBudgets.attach(rt, FleetBudgetSettings.DEFAULTS, 0), 600);
            assertThat(rt.everConnected()).isFalse();
            assertThat(degradedRpm(b)).isEqualTo(600);
        } finally {
            nowhere.shutdown();
        }
    }

    @Test
    void afterRedisRestartsEmptyTheDeclarationsAreRewrittenAndTheBudgetIsFleetAgain() throws Exception {
        FleetRuntime rt = runtime("a");
        FleetBudgets a = FleetBudgets.attach(rt, FleetBudgetSettings.DEFAULTS, 0);
        RateBudget b = budget(a, 600);
        FleetClients.eventually(Duration.ofSeconds(2), () -> a.config(OPENAI) != null, "never declared");
        REDIS.kill();
        FleetClients.eventually(Duration.ofSeconds(5), () -> !rt.healthy(), "outage never noticed");
        REDIS.restart();
        assertThat(REDIS.command("EXISTS", CONF)).as("Redis came back empty").isEqualTo(0L);

        // Back-off 200 ms (cap 1 s) in these settings.
        FleetClients.eventually(Duration.ofSeconds(3), rt::healthy, "never recovered");
        FleetClients.eventually(Duration.ofSeconds(1),
                () -> REDIS.command("HGET", "llmix:fleet:budget:{p:openai}:decl", "a") != null,
                "declaration never rewritten");
        assertThat(String.valueOf(REDIS.command("HGET", CONF, "rpm:cfg"))).isEqualTo("600");
        assertThat(b.mode()).isEqualTo(BudgetMode.FLEET);
        b.acquire(BudgetCost.of(1, 1), System.nanoTime() + Duration.ofSeconds(5).toNanos()).toCompletableFuture()
                .get();
        assertThat(REDIS.command("EXISTS", "llmix:fleet:budget:{p:openai}:rpm")).isEqualTo(1L);
    }
}
