package org.optbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The report of a real study opened in headless Chromium: the headline and the plots are there,
 * and a click on a column of the trial table sorts the trials by it (again to reverse). A
 * screenshot of the page is kept in {@code target/screenshots/report.png}.
 */
class ReportBrowserTest {

    @TempDir
    Path dir;

    @Test
    void theTrialTableSortsByAClickedColumn() throws Exception {
        Path spec = CliProcess.tinySpec(dir, "sorting", 20, 2, """
                adamw: {lr: {values: [1.0e-3, 1.0e-2]}}
                signum: {lr: {values: [1.0e-4, 1.0e-3]}}
                """);
        ChromeDriver browser = Browser.open();
        try {
            CliProcess study = CliProcess.run(dir, Map.of(), 300, "study", spec.toString(), "--runs-dir",
                    dir.resolve("runs").toString());
            assertEquals(0, study.code(), study.err());
            Path report = dir.resolve("runs/sorting/report/report.html");
            browser.get(report.toUri().toString());
            assertTrue(browser.findElement(By.tagName("h1")).getText().contains("sorting"));
            assertTrue(browser.findElements(By.cssSelector("figure img")).size() >= 3, "the plots are shown");
            WebElement finalLoss = header(browser, "final loss");
            finalLoss.click();
            List<Double> up = column(browser, 5);
            finalLoss.click();
            List<Double> down = column(browser, 5);
            assertEquals(4, up.size());
            List<Double> sorted = new ArrayList<>(up);
            sorted.sort(null);
            assertEquals(sorted, up, "ascending after one click");
            List<Double> reversed = new ArrayList<>(sorted);
            java.util.Collections.reverse(reversed);
            assertEquals(reversed, down, "descending after a second");
            browser.executeScript("document.querySelector('table.trials').scrollIntoView()");
            Path shots = Path.of("target", "screenshots");
            Files.createDirectories(shots);
            Files.copy(browser.getScreenshotAs(OutputType.FILE).toPath(), shots.resolve("report.png"),
                    StandardCopyOption.REPLACE_EXISTING);
        } finally {
            browser.quit();
        }
    }

    private static WebElement header(ChromeDriver browser, String name) {
        return browser.findElements(By.cssSelector("table.trials th")).stream().filter(h -> h.getText().startsWith(name))
                .findFirst().orElseThrow(() -> new AssertionError("no column " + name));
    }

    private static List<Double> column(ChromeDriver browser, int index) {
        List<Double> values = new ArrayList<>();
        for (WebElement row : browser.findElements(By.cssSelector("table.trials tbody tr"))) {
            values.add(Double.parseDouble(row.findElements(By.tagName("td")).get(index).getAttribute("data-v")));
        }
        return values;
    }
}
