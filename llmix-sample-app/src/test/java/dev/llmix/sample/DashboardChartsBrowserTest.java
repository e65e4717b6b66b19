package dev.llmix.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
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
 * Drives the dashboard's live charts in headless Chromium: the five uPlot charts render from {@code /actuator/llmix},
 * and after a load burst the calls chart counts the new calls and plots a non-zero rate; cost and savings are shown.
 * Skipped when Debian's {@code chromium} and {@code chromium-driver} are not installed.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class DashboardChartsBrowserTest {

    @RegisterExtension
    static final HeadlessChromium browser = new HeadlessChromium(1400, 2400);

    private static final Path SCREENSHOT = Path.of("target/dashboard-charts.png");


    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws IOException {
        SampleTestProperties.register(registry, Files.createTempDirectory("llmix-sample-charts-state"));
    }

    private WebDriverWait waiting() {
        return new WebDriverWait(browser.driver(), Duration.ofSeconds(30));
    }

    private long attr(String id, String name) {
        String v = browser.driver().findElement(By.id(id)).getAttribute(name);
        return v == null ? -1 : (long) Double.parseDouble(v);
    }

    @Test
    void chartsRenderAndMoveAfterALoadBurst() throws IOException {
        browser.driver().get("http://localhost:" + port + "/");
        waiting().until(ExpectedConditions.attributeToBe(By.tagName("body"), "data-ready", "true"));
        waiting().until(ExpectedConditions.attributeToBe(By.id("charts-panel"), "data-rendered", "true"));
        for (String chart : new String[] {"chart-calls", "chart-latency", "chart-cache", "chart-limiters",
            "chart-breakers"}) {
            assertThat(browser.driver().findElements(By.cssSelector("#" + chart + " canvas"))).as(chart).isNotEmpty();
        }
        waiting().until(d -> attr("chart-calls", "data-points") >= 1);
        long before = attr("chart-calls", "data-total-calls");

        WebElement count = browser.driver().findElement(By.id("load-count"));
        count.clear();
        count.sendKeys("60");
        browser.driver().findElement(By.id("load-fire")).click();

        waiting().until(d -> attr("chart-calls", "data-total-calls") >= before + 60);
        waiting().until(d -> Double.parseDouble(
                browser.driver().findElement(By.id("chart-calls")).getAttribute("data-max-recent-rate")) > 0);
        waiting().until(d -> !browser.driver().findElement(By.id("cost-total")).getText().equals("$0.000000"));
        assertThat(browser.driver().findElement(By.id("cost-saved")).getText()).startsWith("$");

        File shot = browser.driver().getScreenshotAs(OutputType.FILE);
        Files.createDirectories(SCREENSHOT.getParent());
        Files.copy(shot.toPath(), SCREENSHOT, StandardCopyOption.REPLACE_EXISTING);
        assertThat(SCREENSHOT).isNotEmptyFile();
    }
}
