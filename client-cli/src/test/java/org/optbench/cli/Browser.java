package org.optbench.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Headless Chromium driven by Selenium through Debian's chromedriver, named by path so that
 * Selenium never tries to download a driver. Without Chromium the browser tests are skipped with
 * the reason, unless {@code OPTBENCH_REQUIRE_BROWSER=1} (set in CI), which makes that a failure.
 */
final class Browser {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path DRIVER = Path.of("/usr/bin/chromedriver");

    private Browser() {
    }

    static ChromeDriver open() {
        boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(DRIVER);
        if (!present && "1".equals(System.getenv("OPTBENCH_REQUIRE_BROWSER"))) {
            throw new AssertionError("OPTBENCH_REQUIRE_BROWSER=1 but " + CHROMIUM + " or " + DRIVER
                    + " is missing; apt-get install chromium chromium-driver");
        }
        Assumptions.assumeTrue(present, "no " + CHROMIUM + " and " + DRIVER + " (apt-get install chromium chromium-driver)");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile())
                .usingAnyFreePort().build();
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile()).addArguments("--headless=new",
                "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,2000");
        return new ChromeDriver(service, options);
    }
}
