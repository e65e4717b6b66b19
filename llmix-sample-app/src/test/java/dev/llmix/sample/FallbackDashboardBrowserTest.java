package dev.llmix.sample;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmix.resilience.CircuitBreakerRegistry;
import dev.llmix.sample.simulated.SimulatedProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Drives the dashboard's "Providers and fallback" panel in headless Chromium: the simulated openai is put down with
 * its button, and the next chat, streamed or not, is answered by the simulated anthropic through demo/chat's fallback
 * chain. Skipped when Debian's {@code chromium} and {@code chromium-driver} are not installed.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class FallbackDashboardBrowserTest {

    @RegisterExtension
    static final HeadlessChromium browser = new HeadlessChromium();

    private static Path stateDir;

    @LocalServerPort
    int port;

    @Autowired
    SimulatedProvider simulated;

    @Autowired
    CircuitBreakerRegistry breakers;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws IOException {
        stateDir = Files.createTempDirectory("llmix-sample-fallback-state");
        SampleTestProperties.register(registry, stateDir);
    }

    @AfterEach
    void restore() {
        // The application context may be shared with other tests: leave both vendors up.
        simulated.setOutage("openai", false);
        simulated.setOutage("anthropic", false);
        // Each test sees openai's own failure, not a breaker opened by the one before.
        breakers.resetAll();
    }

    private WebDriverWait waiting() {
        return new WebDriverWait(browser.driver(), Duration.ofSeconds(30));
    }

    @Test
    void aStreamedChatDuringAnOpenaiOutageIsAnsweredByTheFallbackVendorAndThePanelSaysSo() {
        chatDuringAnOpenaiOutage(true);
    }

    @Test
    void anUnstreamedChatDuringAnOpenaiOutageIsAnsweredByTheFallbackVendorAndThePanelSaysSo() {
        chatDuringAnOpenaiOutage(false);
    }

    private void chatDuringAnOpenaiOutage(boolean streamed) {
        browser.driver().get("http://localhost:" + port + "/");
        waiting().until(ExpectedConditions.attributeToBe(By.tagName("body"), "data-ready", "true"));
        waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("fallback-chains"),
                "demo/chat → anthropic/claude-haiku-4-5"));

        waiting().until(ExpectedConditions.elementToBeClickable(By.id("outage-openai"))).click();
        waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("outage-openai"), "openai: down"));

        // A stream moves along the chain as a call does while nothing was delivered yet (docs/streaming.md).
        WebElement stream = browser.driver().findElement(By.id("chat-stream"));
        if (stream.isSelected() != streamed) {
            stream.click();
        }
        WebElement input = browser.driver().findElement(By.id("chat-input"));
        // A question of its own per test: the same one would be answered from the alternative's cache entry.
        input.sendKeys("Who answers the " + (streamed ? "streamed" : "unstreamed") + " chat during the outage?");
        browser.driver().findElement(By.id("chat-send")).click();

        waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("fallback-answer"),
                "Answered by anthropic/claude-haiku-4-5 (fallback)"));
        assertThat(browser.driver().findElement(By.id("fallback-answer")).getText())
                .contains("tried: openai/gpt-5-mini provider_error, anthropic/claude-haiku-4-5 success");
        WebElement answer = browser.driver().findElement(By.cssSelector("#chat-log .msg.assistant"));
        assertThat(answer.getText()).contains("[simulated]");
        if (streamed) {
            assertThat(answer.getText()).contains("streamed");
        }
    }
}
