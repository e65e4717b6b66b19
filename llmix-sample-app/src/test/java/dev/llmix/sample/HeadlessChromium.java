package dev.llmix.sample;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's headless Chromium driven by its chromedriver, for the dashboard's browser tests: register it as a static
 * {@code @RegisterExtension} field and it starts before the class's tests and stops after them. It skips the test class
 * when {@code chromium} and {@code chromium-driver} are not installed.
 */
final class HeadlessChromium implements BeforeAllCallback, AfterAllCallback {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    private final int width;
    private final int height;
    private ChromeDriverService service;
    private ChromeDriver driver;

    /** A 1400 × 1750 window, enough for the dashboard down to the chat and the fallback panel. */
    HeadlessChromium() {
        this(1400, 1750);
    }

    /** A window of the given size, for pages that must show more at once (the charts at the bottom). */
    HeadlessChromium(int width, int height) {
        this.width = width;
        this.height = height;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "needs /usr/bin/chromium and /usr/bin/chromedriver (apt-get install chromium chromium-driver)");
        Path profileDir = Files.createTempDirectory("llmix-sample-chromium");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", "--window-size=" + width + "," + height, "--user-data-dir=" + profileDir);
        service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort()
                .build();
        driver = new ChromeDriver(service, options);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (driver != null) {
            driver.quit();
        }
        if (service != null) {
            service.stop();
        }
    }

    /** The driver; also a {@code JavascriptExecutor} and {@code TakesScreenshot}. */
    ChromeDriver driver() {
        return Objects.requireNonNull(driver, "the browser starts before the test class's tests");
    }
}
