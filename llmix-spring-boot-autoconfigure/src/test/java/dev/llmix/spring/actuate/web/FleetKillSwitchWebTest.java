package dev.llmix.spring.actuate.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmix.client.LlmixClient;
import dev.llmix.client.Message;
import dev.llmix.pipeline.CallResponse;
import dev.llmix.spring.killswitch.FleetKillSwitch;
import dev.llmix.spring.testing.LeakScanner;
import dev.llmix.spring.testing.ScriptedLlm;
import dev.llmix.testsupport.RealRedis;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Two application contexts ("instances") sharing one real Redis with {@code llmix.kill-switch.scope=fleet}: a kill
 * switch engaged over HTTP on one stops calls on both within one second; releasing resumes both. Instance B keeps the
 * default read-only access, so its writes are refused.
 */
@ExtendWith(LeakScanner.class)
class FleetKillSwitchWebTest {

    @RegisterExtension
    static final RealRedis REDIS = RealRedis.create();

    @TempDir
    static Path rootA;
    @TempDir
    static Path rootB;

    static ConfigurableApplicationContext a;
    static ConfigurableApplicationContext b;

    @BeforeAll
    static void start() {
        a = start(rootA, "management.endpoint.llmix.access=unrestricted");
        b = start(rootB, "management.endpoint.llmix.access=read-only");
    }

    private static ConfigurableApplicationContext start(Path root, String access) {
        List<String> args = new ArrayList<>();
        for (String p : WebTestApplication.properties(root)) {
            args.add("--" + p);
        }
        args.addAll(List.of(
                "--server.port=0",
                "--spring.data.redis.url=" + REDIS.url(),
                "--llmix.kill-switch.scope=fleet",
                "--management.endpoints.web.exposure.include=health,llmix",
                "--" + access));
        return new SpringApplicationBuilder(WebTestApplication.class).run(args.toArray(String[]::new));
    }

    @AfterAll
    static void stop() {
        for (ConfigurableApplicationContext c : new ConfigurableApplicationContext[] {a, b}) {
            if (c != null) {
                LeakScanner.meters(c.getBean(MeterRegistry.class));
                c.close();
            }
        }
    }

    private static Http http(ConfigurableApplicationContext c) {
        return new Http(((WebServerApplicationContext) c).getWebServer().getPort());
    }

    private static CallResponse call(ConfigurableApplicationContext c) {
        return c.getBean(LlmixClient.class).call("demo", "chat", List.of(Message.user("hi")));
    }

    private static boolean callSucceeds(ConfigurableApplicationContext c) {
        return call(c).success();
    }

    private static Duration within(Duration limit, BooleanSupplier condition) throws InterruptedException {
        long start = System.nanoTime();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - start > limit.toNanos()) {
                throw new AssertionError("not within " + limit);
            }
            Thread.sleep(20);
        }
        return Duration.ofNanos(System.nanoTime() - start);
    }

    @Test
    void engagingOnOneInstanceStopsBothAndReleasingResumesBoth() throws Exception {
        assertThat(a.getBean(FleetKillSwitch.class)).isNotNull();
        assertThat(callSucceeds(a)).isTrue();
        assertThat(callSucceeds(b)).isTrue();
        ScriptedLlm llmB = b.getBean(ScriptedLlm.class);

        Http.Reply engaged = http(a).post("/actuator/llmix/killswitch", "{\"engage\": true, \"reason\": \"fleet drill\"}");

        assertThat(engaged.status()).isEqualTo(200);
        assertThat(engaged.json().at("/killSwitch/scope").asString()).isEqualTo("fleet");
        assertThat(callSucceeds(a)).isFalse();
        Duration took = within(Duration.ofSeconds(1), () -> !callSucceeds(b));
        int dispatchedB = llmB.dispatches();
        assertThat(call(b).error())
                .startsWith("Kill switch active: the fleet-wide switch");
        assertThat(llmB.dispatches()).isEqualTo(dispatchedB);
        Http.Reply seenByB = http(b).get("/actuator/llmix");
        assertThat(seenByB.json().at("/killSwitch/active").asBoolean()).isTrue();
        assertThat(seenByB.json().at("/killSwitch/reason").asString()).isEqualTo("fleet drill");
        assertThat(http(b).get("/actuator/health").json().at("/components/llmix/details/killSwitch/redisReachable")
                .asBoolean()).isTrue();
        assertThat(took).isLessThan(Duration.ofSeconds(1));

        assertThat(http(b).post("/actuator/llmix/killswitch", "{\"engage\": false}").status())
                .as("writes on a read-only instance").isBetween(400, 405);

        assertThat(http(a).post("/actuator/llmix/killswitch", "{\"engage\": false}").status()).isEqualTo(200);

        assertThat(callSucceeds(a)).isTrue();
        within(Duration.ofSeconds(1), () -> callSucceeds(b));
    }
}
