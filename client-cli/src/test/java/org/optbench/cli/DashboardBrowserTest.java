package org.optbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The live dashboard in headless Chromium, against {@code optbench server --http-port} and
 * {@code optbench study --ui} run as processes, with sweeps submitted by two users through the
 * CLI: a user logged in with their token sees their own sweep and not the other's; a sweep page
 * gains curve points while a trial trains, without reloading; a finished sweep shows every trial
 * completed; the printed login URL works once. Screenshots go to {@code target/screenshots/}.
 */
class DashboardBrowserTest {

    static final String ALICE = "alice-token-0123456789abcdef";
    static final String BOB = "bob-token-0123456789abcdef01";

    @TempDir
    Path dir;

    @Test
    void aUserWatchesTheirOwnSweepLiveUntilEveryTrialCompletes() throws Exception {
        Path tokens = Files.writeString(dir.resolve("tokens.txt"), "alice " + ALICE + " user\nbob " + BOB + " user\n");
        Files.setPosixFilePermissions(tokens, PosixFilePermissions.fromString("rw-------"));
        Path bobs = CliProcess.tinySpec(dir, "bobs-sweep", 10, 1, "adamw: {lr: {value: 1.0e-3}}");
        Path alices = CliProcess.tinySpec(dir, "alices-sweep", 600, 2, """
                adamw: {lr: {values: [1.0e-3, 3.0e-3]}}
                lion: {lr: {value: 1.0e-4}}
                """);
        ChromeDriver browser = Browser.open();
        try (ServerProcess server = ServerProcess.start(dir, "--port", "0", "--http-port", "0", "--tokens",
                tokens.toString(), "--runs-dir", dir.resolve("runs").toString(), "--no-default-corpus")) {
            String at = "127.0.0.1:" + server.port();
            submit(bobs, at, BOB);
            submit(alices, at, ALICE);

            browser.get(server.dashboard() + "/login?token=" + ALICE);
            waitFor(browser, 30, "the sweeps list", b -> !b.findElements(By.cssSelector("#sweeps tbody tr")).isEmpty());
            List<String> listed = browser.findElements(By.cssSelector("#sweeps tbody tr")).stream()
                    .map(r -> r.getAttribute("data-sweep")).toList();
            assertEquals(List.of("alices-sweep"), listed, "alice sees her sweep and not bob's");
            Cookie session = browser.manage().getCookieNamed("optbench_session_" + port(server.dashboard()));
            assertNotNull(session, "logging in sets the session cookie");
            assertTrue(session.isHttpOnly(), "the session cookie is HttpOnly");
            assertEquals("", browser.executeScript("return document.cookie"), "page scripts cannot read the session");

            browser.findElement(By.linkText("alices-sweep")).click();
            waitFor(browser, 30, "the sweep page", b -> !state(b).isEmpty());
            browser.executeScript("window.samePage = true");
            int first = waitForPoints(browser, "train", 1);
            int later = waitForPoints(browser, "train", first + 1);
            assertTrue(later > first);
            assertEquals(Boolean.TRUE, browser.executeScript("return window.samePage === true"),
                    "points arrived over the live stream, not by reloading the page");
            screenshot(browser, "dashboard-live.png");
            assertEquals(3, new java.util.HashSet<>(swatches(browser)).size(), "each trial its own colour: " + swatches(browser));
            assertTrue(browser.findElements(By.cssSelector(".u-legend")).isEmpty(), "no legend of dashes");
            WebElement over = browser.findElement(By.cssSelector("[data-chart=train] .u-over"));
            new org.openqa.selenium.interactions.Actions(browser).moveToElement(over).perform();
            waitFor(browser, 10, "the hovered curve named", b -> b.findElement(By.cssSelector("[data-chart=train] .hover"))
                    .getText().matches("#\\d+ (adamw|lion) lr=.* s0: step \\d+, loss \\d+\\.\\d{4}"));

            long runEnds = System.currentTimeMillis() + 300_000;
            while (System.currentTimeMillis() < runEnds && !state(browser).equals("completed")) {
                String[] sample = countsAndRows(browser);
                assertEquals(sample[1], sample[0], "the header counts the trial rows' states, from the same events");
                Thread.sleep(300);
            }
            waitFor(browser, 300, "the sweep to finish", b -> state(b).equals("completed"));
            waitFor(browser, 30, "every trial completed", b -> trialStates(b).stream().allMatch("completed"::equals));
            assertEquals(List.of("completed", "completed", "completed"), trialStates(browser));
            waitFor(browser, 30, "the loss-vs-LR plot", b -> points(b, "loss-vs-lr") >= 3);
            assertTrue(browser.findElement(By.id("sweep-counts")).getText().startsWith("3 completed"));
            waitFor(browser, 30, "the optimizer table", b -> b.findElements(By.cssSelector("#optimizers td.width")).size() == 2);
            for (WebElement w : browser.findElements(By.cssSelector("#optimizers td.width"))) {
                assertTrue(w.getText().matches("(>=)?\\d+\\.\\d\\d|-"), "a width as the command line prints it: "
                        + w.getText());
            }
            screenshot(browser, "dashboard-sweep.png");

            browser.findElements(By.cssSelector("tr[data-trial] a")).get(0).click();
            waitFor(browser, 30, "the trial page", b -> !b.findElements(By.id("trial-state")).isEmpty()
                    && b.findElement(By.id("log")).getText().contains("step"));
            assertTrue(points(browser, "trial") > 10, "the trial's curves are drawn");
            assertEquals("completed", browser.findElement(By.id("trial-state")).getText());
            screenshot(browser, "dashboard-trial.png");

            browser.get(server.dashboard() + "/sweeps/bobs-sweep");
            waitFor(browser, 30, "the refusal", b -> !b.findElements(By.id("error")).isEmpty());
            assertTrue(browser.findElement(By.id("error")).getText().contains("no sweep 'bobs-sweep'"),
                    browser.findElement(By.id("error")).getText());

            browser.findElement(By.cssSelector("#logout button")).click();
            waitFor(browser, 30, "the logout", b -> b.findElement(By.tagName("body")).getText().startsWith("Logged out."));
            browser.get(server.dashboard() + "/api/sweeps");
            assertTrue(browser.findElement(By.tagName("body")).getText().startsWith("Not logged in"),
                    "the Log out button (a POST with the page's key) ended the session");
            browser.manage().deleteAllCookies();
            browser.get(server.dashboard() + "/");
            assertTrue(browser.findElement(By.tagName("body")).getText().startsWith("Not logged in"));
            browser.get(server.loginUrl());
            waitFor(browser, 30, "the operator's list", b -> b.findElements(By.cssSelector("#sweeps tbody tr")).size() == 2);
            browser.get(server.dashboard() + "/sweeps/bobs-sweep");
            waitFor(browser, 300, "bob's one point on the loss-vs-LR plot", b -> points(b, "loss-vs-lr") == 1);
            double[] x = range(browser, "loss-vs-lr", "x");
            assertEquals(1e-3 / Math.sqrt(10), x[0], 1e-9, "one point gets half a decade either side, not a 0-10 axis");
            assertEquals(1e-3 * Math.sqrt(10), x[1], 1e-9);
            double[] y = range(browser, "loss-vs-lr", "y");
            assertTrue(y[1] - y[0] < 0.11 * y[1] && y[0] > 0, "the loss axis fitted to the point: " + y[0] + " " + y[1]);
            browser.manage().deleteAllCookies();
            browser.get(server.loginUrl());
            waitFor(browser, 30, "the printed login URL to work once", b -> b.findElement(By.tagName("body")).getText()
                    .contains("not valid or was already used"));
        } finally {
            browser.quit();
        }
    }

    @Test
    void anEmbeddedStudyServesItsDashboardWhileItRuns() throws Exception {
        Path spec = CliProcess.tinySpec(dir, "watched", 800, 1, "adamw: {lr: {value: 1.0e-3}}");
        Path out = dir.resolve("study.out");
        Process study = new ProcessBuilder(CliProcess.command("study", spec.toString(), "--ui", "--runs-dir",
                dir.resolve("runs").toString())).directory(dir.toFile()).redirectOutput(out.toFile())
                .redirectError(dir.resolve("study.err").toFile()).start();
        ChromeDriver browser = Browser.open();
        try {
            String url = loginUrl(out, dir.resolve("study.err"));
            browser.get(url);
            waitFor(browser, 30, "the study's sweep", b -> !b.findElements(By.cssSelector("tr[data-sweep=watched]")).isEmpty());
            browser.findElement(By.linkText("watched")).click();
            waitForPoints(browser, "train", 1);
            long done = System.currentTimeMillis() + 300_000;
            while (System.currentTimeMillis() < done && !Files.readString(out).contains("the dashboard keeps serving")) {
                Thread.sleep(200);
            }
            assertTrue(Files.readString(out).contains("the study is done; the dashboard keeps serving at " + url
                    + " until Ctrl-C"), Files.readString(out));
            browser.navigate().refresh();
            waitFor(browser, 30, "the finished sweep after a reload", b -> "completed".equals(state(b)));
            assertTrue(study.isAlive(), "the study serves its dashboard until stopped");
            study.destroy();
            assertTrue(study.waitFor(30, TimeUnit.SECONDS), "SIGTERM ends it");
        } finally {
            browser.quit();
            study.destroyForcibly().waitFor();
        }
    }

    /**
     * {@code optbench dashboard} on a store holding a finished sweep and one whose runner was
     * killed mid-trial: two browsers log in with the one printed URL, a reload and a second visit
     * to the URL keep working, the killed sweep is shown but not resumed, and SIGTERM ends it.
     */
    @Test
    void theDashboardCommandServesAStoredSweepToTwoBrowsersAndResumesNothing() throws Exception {
        Path runs = dir.resolve("runs");
        Path done = CliProcess.tinySpec(dir, "stored", 20, 1, "adamw: {lr: {values: [1.0e-3, 1.0e-2]}}");
        CliProcess study = CliProcess.run(dir, Map.of(), 300, "study", done.toString(), "--runs-dir", runs.toString());
        assertEquals(0, study.code(), study.err());
        Process killed = CliProcess.startStudy(dir, CliProcess.tinySpec(dir, "killed", 4000, 1,
                "adamw: {lr: {values: [1.0e-3, 1.0e-2]}}"), runs);
        long until = System.currentTimeMillis() + 120_000;
        while (System.currentTimeMillis() < until && !CliProcess.oneRunsPastStep10(CliProcess.trialsOf(dir, runs, "killed"))) {
            Thread.sleep(200);
        }
        killed.descendants().forEach(ProcessHandle::destroyForcibly);
        killed.destroyForcibly().waitFor();
        List<String> before = CliProcess.trialsOf(dir, runs, "killed").stream()
                .map(t -> t.id() + " " + t.status() + " " + t.attempts()).toList();
        assertTrue(before.stream().anyMatch(t -> t.contains(" RUNNING ")), "a trial was left running: " + before);

        Path out = dir.resolve("dashboard.out");
        Process dashboard = new ProcessBuilder(CliProcess.command("dashboard", "--runs-dir", runs.toString()))
                .directory(dir.toFile()).redirectOutput(out.toFile()).redirectError(dir.resolve("dashboard.err").toFile()).start();
        ChromeDriver first = Browser.open();
        ChromeDriver second = Browser.open();
        try {
            String url = loginUrl(out, dir.resolve("dashboard.err"));
            assertTrue(Files.readString(out).contains("read-only (no trial is started or resumed)"), Files.readString(out));
            for (ChromeDriver browser : List.of(first, second, first)) {
                browser.get(url);
                waitFor(browser, 30, "both stored sweeps", b -> !b.findElements(By.cssSelector("tr[data-sweep=stored]")).isEmpty()
                        && !b.findElements(By.cssSelector("tr[data-sweep=killed]")).isEmpty());
            }
            second.navigate().refresh();
            waitFor(second, 30, "the sweeps after a reload", b -> !b.findElements(By.cssSelector("tr[data-sweep=stored]")).isEmpty());
            second.findElement(By.linkText("stored")).click();
            waitFor(second, 30, "the stored sweep's trials", b -> trialStates(b).size() == 2);
            assertEquals(List.of("completed", "completed"), trialStates(second));
            Thread.sleep(3_000);
            assertEquals(before, CliProcess.trialsOf(dir, runs, "killed").stream()
                    .map(t -> t.id() + " " + t.status() + " " + t.attempts()).toList(), "the dashboard resumed nothing");
            dashboard.destroy();
            assertTrue(dashboard.waitFor(30, TimeUnit.SECONDS), "SIGTERM ends the dashboard");
        } finally {
            first.quit();
            second.quit();
            dashboard.destroyForcibly().waitFor();
        }
    }

    /** The login URL a local dashboard prints on {@code out}, waited for up to 60 s ({@code err} shown if it never comes). */
    private static String loginUrl(Path out, Path err) throws Exception {
        Matcher url = Pattern.compile("dashboard: (http://127\\.0\\.0\\.1:\\d+/login\\?token=\\S+)").matcher("");
        long deadline = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < deadline && !url.reset(Files.readString(out)).find()) {
            Thread.sleep(100);
        }
        assertTrue(url.reset(Files.readString(out)).find(), Files.readString(out) + Files.readString(err));
        return url.group(1);
    }

    private void submit(Path spec, String at, String token) throws Exception {
        CliProcess p = CliProcess.run(dir, Map.of("OPTBENCH_TOKEN", token), 60, "sweep", "submit", spec.toString(),
                "--server", at);
        assertEquals(0, p.code(), p.err());
    }

    /** The sweep's state as the page shows it (read in one script: the page redraws as events arrive). */
    private static int port(String url) {
        return java.net.URI.create(url).getPort();
    }

    private static String state(ChromeDriver browser) {
        return (String) browser.executeScript("const s = document.getElementById('sweep-state'); return s ? s.textContent : ''");
    }

    /** The finite points a chart draws now. */
    private static int points(ChromeDriver browser, String chart) {
        Object n = browser.executeScript("const c = document.querySelector(\"[data-chart='\" + arguments[0] + \"']\");"
                + " return c && c.getAttribute('data-points') || '0'", chart);
        return Integer.parseInt((String) n);
    }

    /** The header's "N completed, N running, N pending, N diverged, N failed of N" and the same counted from the rows, in one read. */
    private static String[] countsAndRows(ChromeDriver browser) {
        @SuppressWarnings("unchecked")
        List<String> both = (List<String>) browser.executeScript("const h = document.getElementById('sweep-counts');"
                + " const n = s => document.querySelectorAll('tr[data-trial][data-state=' + s + ']').length;"
                + " const rows = document.querySelectorAll('tr[data-trial]').length;"
                + " return [h ? h.textContent : '', n('completed') + ' completed, ' + n('running') + ' running, ' + n('pending')"
                + " + ' pending, ' + n('diverged') + ' diverged, ' + n('failed') + ' failed of ' + rows]");
        return both.toArray(new String[0]);
    }

    /** The background colour of every trial row's swatch. */
    @SuppressWarnings("unchecked")
    private static List<String> swatches(ChromeDriver browser) {
        return (List<String>) browser.executeScript("return [...document.querySelectorAll('tr[data-trial] .swatch')]"
                + ".map(s => s.style.background)");
    }

    /** A chart's axis range as drawn: [min, max]. */
    private static double[] range(ChromeDriver browser, String chart, String axis) {
        String r = (String) browser.executeScript("return document.querySelector(\"[data-chart='\" + arguments[0] + \"']\")"
                + ".getAttribute('data-' + arguments[1] + '-range')", chart, axis);
        String[] parts = r.split(" ");
        return new double[] {Double.parseDouble(parts[0]), Double.parseDouble(parts[1])};
    }

    /** The data-state of every trial row. */
    @SuppressWarnings("unchecked")
    private static List<String> trialStates(ChromeDriver browser) {
        return (List<String>) browser.executeScript("return [...document.querySelectorAll('tr[data-trial]')]"
                + ".map(r => r.getAttribute('data-state'))");
    }

    /** Waits until the chart has at least {@code atLeast} points and returns how many it has. */
    private static int waitForPoints(ChromeDriver browser, String chart, int atLeast) {
        waitFor(browser, 120, atLeast + " points on the " + chart + " chart", b -> points(b, chart) >= atLeast);
        return points(browser, chart);
    }

    private static void waitFor(ChromeDriver browser, int seconds, String what,
                                java.util.function.Function<ChromeDriver, Boolean> condition) {
        new WebDriverWait(browser, Duration.ofSeconds(seconds)).withMessage("waiting for " + what)
                .ignoring(StaleElementReferenceException.class).until(d -> condition.apply((ChromeDriver) d));
    }

    private static void screenshot(ChromeDriver browser, String name) throws Exception {
        Path shots = Path.of("target", "screenshots");
        Files.createDirectories(shots);
        Files.copy(browser.getScreenshotAs(OutputType.FILE).toPath(), shots.resolve(name), StandardCopyOption.REPLACE_EXISTING);
    }

}
