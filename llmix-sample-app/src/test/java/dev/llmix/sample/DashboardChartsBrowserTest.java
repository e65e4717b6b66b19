package dev.llmix.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
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

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path SCREENSHOT = Path.of("target/dashboard-charts.png");

    private static ChromeDriverService service;
    private static WebDriver driver;
    private static Path profileDir;

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws IOException {
        SampleTestProperties.register(registry, Files.createTempDirectory("llmix-sample-charts-state"));
    }

    @BeforeAll
    static void startBrowser() throws IOException {
        assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "needs /usr/bin/chromium and /usr/bin/chromedriver (apt-get install chromium chromium-driver)");
        profileDir = Files.createTempDirectory("llmix-sample-chromium-charts");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", "--window-size=1400,2400", "--user-data-dir=" + profileDir);
        service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort()
                .build();
        driver = new ChromeDriver(service, options);
    }

    @AfterAll
    static void stopBrowser() {
        if (driver != null) {
            driver.quit();
        }
        if (service != null) {
            service.stop();
        }
    }

    private WebDriverWait waiting() {
        return new WebDriverWait(driver, Duration.ofSeconds(30));
    }

    private long attr(String id, String name) {
        String v = driver.findElement(By.id(id)).getAttribute(name);
        return v == null ? -1 : (long) Double.parseDouble(v);
    }

    @Test
    void chartsRenderAndMoveAfterALoadBurst() throws IOException {
        driver.get("http://localhost:" + port + "/");
        waiting().until(ExpectedConditions.attributeToBe(By.tagName("body"), "data-ready", "true"));
        waiting().until(ExpectedConditions.attributeToBe(By.id("charts-panel"), "data-rendered", "true"));
        for (String chart : new String[] {"chart-calls", "chart-latency", "chart-cache", "chart-limiters",
            "chart-breakers"}) {
            assertThat(driver.findElements(By.cssSelector("#" + chart + " canvas"))).as(chart).isNotEmpty();
        }
        waiting().until(d -> attr("chart-calls", "data-points") >= 1);
        long before = attr("chart-calls", "data-total-calls");

        WebElement count = driver.findElement(By.id("load-count"));
        count.clear();
        count.sendKeys("60");
        driver.findElement(By.id("load-fire")).click();

        waiting().until(d -> attr("chart-calls", "data-total-calls") >= before + 60);
        waiting().until(d -> Double.parseDouble(
                driver.findElement(By.id("chart-calls")).getAttribute("data-max-recent-rate")) > 0);
        waiting().until(d -> !driver.findElement(By.id("cost-total")).getText().equals("$0.000000"));
        assertThat(driver.findElement(By.id("cost-saved")).getText()).startsWith("$");

        File shot = ((ChromeDriver) driver).getScreenshotAs(OutputType.FILE);
        Files.createDirectories(SCREENSHOT.getParent());
        Files.copy(shot.toPath(), SCREENSHOT, StandardCopyOption.REPLACE_EXISTING);
        assertThat(SCREENSHOT).isNotEmptyFile();
    }
}
