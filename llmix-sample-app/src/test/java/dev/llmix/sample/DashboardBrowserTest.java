package dev.llmix.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Drives the dashboard in headless Chromium: a chat, the kill switch engaged with its button refusing the next chat,
 * then released. Skipped when Debian's {@code chromium} and {@code chromium-driver} are not installed.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class DashboardBrowserTest {

    @RegisterExtension
    static final HeadlessChromium browser = new HeadlessChromium();

    private static final Path SCREENSHOT = Path.of("target/dashboard.png");

    private static Path stateDir;

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws IOException {
        stateDir = Files.createTempDirectory("llmix-sample-browser-state");
        SampleTestProperties.register(registry, stateDir);
    }

    private WebDriverWait waiting() {
        return new WebDriverWait(browser.driver(), Duration.ofSeconds(20));
    }

    private void chat(String text) {
        WebElement input = browser.driver().findElement(By.id("chat-input"));
        input.clear();
        input.sendKeys(text);
        browser.driver().findElement(By.id("chat-send")).click();
    }

    /** Waits for the n-th answer (assistant or error bubble) and returns it. */
    private WebElement answer(int n) {
        By answers = By.cssSelector("#chat-log .msg.assistant, #chat-log .msg.error");
        waiting().until(d -> d.findElements(answers).size() >= n);
        List<WebElement> all = browser.driver().findElements(answers);
        return all.get(n - 1);
    }

    @Test
    void chatThenKillSwitchRefusesTheNextChatUntilReleasedThenCacheHit() throws IOException {
        browser.driver().get("http://localhost:" + port + "/");
        waiting().until(ExpectedConditions.attributeToBe(By.tagName("body"), "data-ready", "true"));
        assertThat(browser.driver().findElement(By.id("provider-badge")).getText()).contains("SIMULATED");

        chat("Hello from the browser test");
        WebElement first = answer(1);
        assertThat(first.getAttribute("class")).contains("assistant");
        assertThat(first.getText()).contains("[simulated]").contains("Hello from the browser test");
        waiting().until(ExpectedConditions.textToBe(By.id("killswitch-state"), "released"));

        browser.driver().findElement(By.id("killswitch-engage")).click();
        waiting().until(ExpectedConditions.textToBe(By.id("killswitch-state"), "ACTIVE"));

        chat("Is anyone there?");
        WebElement refused = answer(2);
        assertThat(refused.getAttribute("class")).contains("error");
        assertThat(refused.getText()).contains("Kill switch active");

        browser.driver().findElement(By.id("killswitch-release")).click();
        waiting().until(ExpectedConditions.textToBe(By.id("killswitch-state"), "released"));

        chat("Hello from the browser test");
        WebElement cached = answer(3);
        assertThat(cached.getAttribute("class")).contains("assistant");
        assertThat(cached.findElement(By.cssSelector(".tag")).getText()).isEqualTo("cache l1");
        waiting().until(d -> !d.findElements(By.cssSelector("#breakers tr[data-provider]")).isEmpty()
                && !d.findElements(By.id("cache-hits-l1")).isEmpty());

        File shot = browser.driver().getScreenshotAs(OutputType.FILE);
        Files.createDirectories(SCREENSHOT.getParent());
        Files.copy(shot.toPath(), SCREENSHOT, StandardCopyOption.REPLACE_EXISTING);
        assertThat(SCREENSHOT).isNotEmptyFile();
    }

    @Test
    void chatViaSpringAiChatClientIsServedFromTheSameCache() {
        browser.driver().get("http://localhost:" + port + "/");
        waiting().until(ExpectedConditions.attributeToBe(By.tagName("body"), "data-ready", "true"));
        browser.driver().findElement(By.id("chat-spring-ai")).click();
        int before = browser.driver().findElements(By.cssSelector("#chat-log .msg.assistant, #chat-log .msg.error")).size();

        chat("Hello through Spring AI");
        WebElement first = answer(before + 1);
        chat("Hello through Spring AI");
        WebElement second = answer(before + 2);

        assertThat(first.getAttribute("class")).contains("assistant");
        assertThat(first.getText()).contains("[simulated]");
        assertThat(second.findElement(By.cssSelector(".tag")).getText()).isEqualTo("cache l1");
        assertThat(browser.driver().findElement(By.id("chat-last")).getAttribute("textContent"))
                .contains("Spring AI ChatClient");
        browser.driver().findElement(By.id("chat-spring-ai")).click();
    }

    @Test
    void toolDemoShowsTheCallTheToolResultAndTheAnswer() {
        browser.driver().get("http://localhost:" + port + "/");
        waiting().until(ExpectedConditions.attributeToBe(By.tagName("body"), "data-ready", "true"));

        browser.driver().findElement(By.id("tools-run")).click();
        waiting().until(ExpectedConditions.textToBe(By.id("tools-stop"), "FINAL_ANSWER"));

        List<WebElement> steps = browser.driver().findElements(By.cssSelector("#tools-log li"));
        assertThat(steps).hasSize(4);
        assertThat(steps.get(1).getText()).contains("get_weather").contains("Paris");
        assertThat(steps.get(2).getText()).startsWith("tool get_weather");
        assertThat(steps.get(3).getText()).contains("[simulated]");
    }
}
