package dev.llmix.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Drives the dashboard's streamed chat in headless Chromium: with "Stream" on, the answer bubble fills chunk by chunk
 * before its done marker. The simulated provider is slowed to one delta per 100 ms so a growing answer can be
 * observed. Skipped when Debian's {@code chromium} and {@code chromium-driver} are not installed.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class DashboardStreamingBrowserTest {

    @RegisterExtension
    static final HeadlessChromium browser = new HeadlessChromium();

    /** Reads the streaming bubble's state in one round trip: chunk count, visible answer text, done marker. */
    private static final String SAMPLE = """
            const b = document.querySelector('#chat-log .msg[data-chunks]');
            if (!b) return null;
            const c = b.querySelector('.content');
            return [b.getAttribute('data-chunks'), c ? c.textContent : '', b.getAttribute('data-done')];
            """;


    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws IOException {
        SampleTestProperties.register(registry, Files.createTempDirectory("llmix-sample-stream-browser-state"));
        registry.add("sample.simulated.error-rate", () -> "0");
        registry.add("sample.simulated.rate-limit-rate", () -> "0");
        registry.add("sample.simulated.thinking", () -> "true");
        registry.add("sample.simulated.chunk-delay-ms", () -> "100");
    }

    /** One observation of the bubble. */
    record Sample(int chunks, String text, boolean done) {
    }

    private static Sample sample() {
        Object raw = browser.driver().executeScript(SAMPLE);
        if (raw == null) {
            return null;
        }
        List<?> values = (List<?>) raw;
        return new Sample(Integer.parseInt(String.valueOf(values.get(0))), String.valueOf(values.get(1)),
                "true".equals(values.get(2)));
    }

    @Test
    void streamedAnswerGrowsChunkByChunkBeforeTheDoneMarker() {
        browser.driver().get("http://localhost:" + port + "/");
        WebDriverWait waiting = new WebDriverWait(browser.driver(), Duration.ofSeconds(30));
        waiting.until(ExpectedConditions.attributeToBe(By.tagName("body"), "data-ready", "true"));
        assertThat(browser.driver().findElement(By.id("chat-stream")).isSelected()).as("Stream is on by default").isTrue();

        WebElement input = browser.driver().findElement(By.id("chat-input"));
        input.sendKeys("Stream to the browser");
        browser.driver().findElement(By.id("chat-send")).click();

        // Observe until the done marker; every observation before it is a state the user saw mid-stream.
        List<Sample> beforeDone = new ArrayList<>();
        Sample last = null;
        long giveUp = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < giveUp) {
            Sample s = sample();
            if (s != null) {
                if (s.done()) {
                    last = s;
                    break;
                }
                beforeDone.add(s);
            }
        }
        assertThat(last).as("the done marker appeared").isNotNull();
        String finalText = last.text();
        assertThat(finalText).contains("[simulated]").contains("Stream to the browser").doesNotContain("<think>");
        assertThat(last.chunks()).isGreaterThanOrEqualTo(2);

        List<Integer> partialLengths = beforeDone.stream().map(s -> s.text().length())
                .filter(n -> n > 0 && n < finalText.length()).distinct().toList();
        assertThat(partialLengths).as("distinct non-empty, shorter-than-final texts seen before done")
                .hasSizeGreaterThanOrEqualTo(2);
        for (Sample s : beforeDone) {
            assertThat(s.text()).doesNotContain("<think>").doesNotContain("<thi");
        }

        WebElement bubble = browser.driver().findElement(By.cssSelector("#chat-log .msg[data-done='true']"));
        assertThat(bubble.getAttribute("class")).contains("assistant");
        assertThat(bubble.findElement(By.cssSelector(".tag")).getText()).isEqualTo("fresh");
        WebElement thinking = bubble.findElement(By.cssSelector("details.thinking .thinking-text"));
        assertThat(thinking.getAttribute("textContent")).contains("simulated model has nothing to think about");
        waiting.until(ExpectedConditions.textToBe(By.id("streams-inflight"), "0"));
    }
}
