package dlx.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dlx.launcher.sweep.Dist;
import dlx.launcher.sweep.Dist.Run;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * {@code dlx report} looked at as a person would, in a real headless Chromium: real quick runs
 * (theory, vision, nmt) and a failed one made with the assembled distribution, a corrupt and a
 * partial entry, the report opened from {@code file://}. Every page is checked for console errors
 * and for requests that leave {@code file://}. Screenshots go to {@code target/report-screenshots/}.
 */
class ReportIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern SUMMARY = Pattern.compile("^(\\S+)\\s+([0-9a-f]{12})\\s+(ok|failed|skipped|cached)\\s", Pattern.MULTILINE);
    /** The failed run's error: markup that must show as text. */
    private static final String EVIL = "no data in <img src=x onerror=alert(1)> folder";

    @TempDir
    static Path work;
    static Path dist;
    static Path results;
    static Path shots = Path.of("target/report-screenshots");
    /** What the runs' summaries said: experiment/run id -> status (the expectation, independent of the report). */
    static final Map<String, String> expected = new LinkedHashMap<>();
    static final List<String> mlpRuns = new ArrayList<>();
    static String failedRun;
    static WebDriver driver;

    @BeforeAll
    static void runsAndReport() throws Exception {
        dist = Path.of(System.getProperty("dlx.dist", "target/dlx"));
        assertThat(dist.resolve("bin/dlx")).isExecutable();
        results = work.resolve("results");
        run(0, "run", "theory.normalization", "theory.decoding", "vision.mlp-scratch", "nmt.select-by-content", "--profile", "quick");
        run(0, "run", "vision.mlp-scratch", "--profile", "quick", "--param", "learningRate=0.05");
        run(0, "run", "vision.mlp-scratch", "--profile", "quick", "--param", "epochs=2");
        Path failing = PluginJars.build(dist.resolve("lib"), work, "it-report", Map.of(
                "module-info.java", "module it.report { requires dlx.api; provides dlx.api.Plugin with it.report.ReportPlugin; }",
                "it/report/ReportPlugin.java", """
                        package it.report;
                        import dlx.api.*;
                        import java.util.List;
                        public final class ReportPlugin implements Plugin {
                            public String name() { return "itreport"; }
                            public List<Class<? extends Experiment>> experiments() { return List.of(Fails.class); }
                            public static final class Fails implements Experiment {
                                public ExperimentSpec spec() { return ExperimentSpec.builder("it.report-fails").title("fails").build(); }
                                public void run(RunRequest request, RunReporter reporter) {
                                    for (int i = 0; i < 3; i++) reporter.series("trainLoss").add(i, 3 - i);
                                    throw new IllegalStateException("%s");
                                }
                            }
                        }""".formatted(EVIL)));
        Path plugins = work.resolve("plugins-report");
        Files.createDirectories(plugins);
        Files.copy(failing, plugins.resolve(failing.getFileName()));
        run(1, "run", "it.report-fails", "--profile", "quick", "--plugins", plugins.toString());
        // a corrupt result and a run that was killed before it wrote one
        Path corrupt = results.resolve("theory.decoding/0123456789ab");
        Files.createDirectories(corrupt);
        Files.writeString(corrupt.resolve("result.json"), "{\"experiment\": \"theory.decoding\", \"status\": \"o");
        expected.put("theory.decoding/0123456789ab", "corrupt");
        Path partial = results.resolve("nmt.select-by-content/ba5eba11c0de");
        Files.createDirectories(partial);
        Files.writeString(partial.resolve("run.log"), "[nmt.select-by-content] run ba5eba11c0de started\n");
        expected.put("nmt.select-by-content/ba5eba11c0de", "incomplete");

        Run report = dlx("report", results.toString());
        assertThat(report.exit()).as(report.err()).isZero();
        assertThat(report.out()).endsWith("report: " + results.resolve("report/index.html") + "\n");
        Files.createDirectories(shots);
        driver = browser();
    }

    /** Runs dlx into the results folder, expecting {@code exit}; remembers what its summary says. */
    private static void run(int exit, String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--out", results.toString()));
        Run r = dlx(all.toArray(String[]::new));
        assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(exit);
        Matcher m = SUMMARY.matcher(r.out());
        while (m.find()) {
            expected.put(m.group(1) + "/" + m.group(2), m.group(3));
            if (m.group(1).equals("vision.mlp-scratch")) {
                mlpRuns.add(m.group(2));
            }
            if (m.group(3).equals("failed")) {
                failedRun = m.group(1) + "/" + m.group(2);
            }
        }
    }

    private static WebDriver browser() throws IOException {
        File chromium = new File("/usr/bin/chromium");
        File chromedriver = new File("/usr/bin/chromedriver");
        assertThat(chromium).as("ReportIT needs Debian's chromium and chromium-driver (apt-get install -y chromium chromium-driver)")
                .exists();
        assertThat(chromedriver).as("ReportIT needs Debian's chromium-driver").exists();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--no-first-run", "--hide-scrollbars",
                "--user-data-dir=" + Files.createDirectories(work.resolve("chrome-profile")), "--window-size=1360,860");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        logs.enable(LogType.PERFORMANCE, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(chromedriver).usingAnyFreePort().build();
        ChromeDriver chrome = new ChromeDriver(service, options);
        // what the browser itself loaded at start (its new tab page, chrome://) is not the report's
        chrome.get("about:blank");
        chrome.manage().logs().get(LogType.PERFORMANCE);
        chrome.manage().logs().get(LogType.BROWSER);
        return chrome;
    }

    @AfterAll
    static void closeBrowser() {
        if (driver != null) {
            driver.quit();
        }
    }

    /** After every page: nothing in the console at error level, and every request stayed in file://. */
    @AfterEach
    void noConsoleErrorsAndNoNetwork() throws Exception {
        List<String> severe = driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue()).map(LogEntry::getMessage).toList();
        assertThat(severe).as("console errors").isEmpty();
        List<String> urls = new ArrayList<>();
        for (LogEntry e : driver.manage().logs().get(LogType.PERFORMANCE).getAll()) {
            JsonNode m = JSON.readTree(e.getMessage()).path("message");
            if (m.path("method").asText().equals("Network.requestWillBeSent")) {
                urls.add(m.path("params").path("request").path("url").asText());
            }
        }
        assertThat(urls).as("requests the pages made").isNotEmpty().allMatch(u -> u.startsWith("file://"));
        List<?> resources = (List<?>) js("return performance.getEntriesByType('resource').map(e => e.name)");
        assertThat(resources).allMatch(u -> u.toString().startsWith("file://"));
    }

    private static Object js(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    private static void open(String page) {
        driver.get(results.resolve("report").resolve(page.contains("#") ? page.substring(0, page.indexOf('#')) : page).toUri()
                + (page.contains("#") ? page.substring(page.indexOf('#')) : ""));
        if (page.contains("#")) {
            driver.navigate().refresh(); // a new fragment on the same page only fires hashchange: load it afresh
        }
    }

    private static WebDriverWait waiting() {
        return new WebDriverWait(driver, Duration.ofSeconds(20));
    }

    private static List<WebElement> rows() {
        return driver.findElements(By.cssSelector("table.runs tbody tr[data-token]"));
    }

    /** The window as tall as the page (within limits), so that the picture ends where the page does. */
    private static void screenshot(String name) throws IOException {
        screenshot(name, 1100);
    }

    private static void screenshot(String name, int maxHeight) throws IOException {
        org.openqa.selenium.Dimension size = driver.manage().window().getSize();
        long inner = ((Number) js("return window.innerHeight")).longValue();
        long height = ((Number) js("return Math.ceil(document.querySelector('main').getBoundingClientRect().bottom + window.scrollY)"))
                .longValue();
        driver.manage().window().setSize(new org.openqa.selenium.Dimension(size.width,
                (int) Math.max(480, Math.min(maxHeight, size.height - inner + height))));
        Path shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE).toPath();
        Files.copy(shot, shots.resolve(name), StandardCopyOption.REPLACE_EXISTING);
        driver.manage().window().setSize(size);
    }

    /** Pixels of the chart's canvas close to an RGB colour (a drawn line), read from the canvas itself. */
    private static long pixels(WebElement canvas, int r, int g, int b) {
        return ((Number) js("""
                const c = arguments[0], d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
                let n = 0;
                for (let i = 0; i < d.length; i += 4)
                  if (d[i + 3] > 200 && Math.abs(d[i] - arguments[1]) < 40 && Math.abs(d[i + 1] - arguments[2]) < 40
                      && Math.abs(d[i + 2] - arguments[3]) < 40) n++;
                return n;""", canvas, r, g, b)).longValue();
    }

    private static WebElement chart(String title) {
        return waiting().until(d -> d.findElements(By.cssSelector(".chart-box[data-title='" + title + "'] canvas")).stream()
                .findFirst().orElse(null));
    }

    private static JsonNode result(String token) throws IOException {
        return JSON.readTree(results.resolve(token).resolve("result.json").toFile());
    }

    @Test
    void theIndexListsEveryRunWithItsStatus() throws Exception {
        open("index.html");
        waiting().until(d -> !rows().isEmpty());
        Map<String, String> shown = new LinkedHashMap<>();
        for (WebElement row : rows()) {
            shown.put(row.getAttribute("data-token"), row.getAttribute("data-status"));
            assertThat(row.findElement(By.cssSelector(".badge")).getText()).isEqualTo(row.getAttribute("data-status"));
        }
        assertThat(shown).isEqualTo(expected);
        // a failed run's error and a marked entry's problem: on a line under their row
        WebElement failed = driver.findElement(By.cssSelector("tr[data-token='" + failedRun + "'] + tr td.note"));
        assertThat(failed.getText()).isEqualTo("IllegalStateException: " + EVIL);
        assertThat(driver.findElements(By.cssSelector("td.note img"))).isEmpty();
        assertThat(driver.findElement(By.cssSelector("tr[data-token='theory.decoding/0123456789ab'] + tr td.note")).getText())
                .startsWith("corrupt: theory.decoding/0123456789ab/result.json");
        WebElement counts = driver.findElement(By.cssSelector(".exp-card[data-experiment='vision.mlp-scratch']"));
        assertThat(counts.getText()).contains("3").contains("3 ok");
        assertThat(driver.findElement(By.cssSelector(".exp-card[data-experiment='theory.decoding']")).getText()).contains("1 marked");
        screenshot("index.png");
    }

    @Test
    void sortingByAMetricReordersTheRows() throws Exception {
        open("index.html#exp=vision.mlp-scratch");
        waiting().until(d -> rows().size() == 3);
        List<String> byAccuracy = new ArrayList<>(mlpRuns);
        Map<String, Double> accuracy = new LinkedHashMap<>();
        for (String id : mlpRuns) {
            accuracy.put(id, result("vision.mlp-scratch/" + id).path("metrics").path("testAccuracy").asDouble());
        }
        byAccuracy.sort(Comparator.comparing(accuracy::get));
        driver.findElement(By.cssSelector("th[data-col='m:testAccuracy']")).click();
        assertThat(rows()).extracting(r -> r.getAttribute("data-token")).containsExactlyElementsOf(
                byAccuracy.stream().map(id -> "vision.mlp-scratch/" + id).toList());
        driver.findElement(By.cssSelector("th[data-col='m:testAccuracy']")).click();
        java.util.Collections.reverse(byAccuracy);
        assertThat(rows()).extracting(r -> r.getAttribute("data-token")).containsExactlyElementsOf(
                byAccuracy.stream().map(id -> "vision.mlp-scratch/" + id).toList());
        // and every row sorted by duration, all experiments
        open("index.html#sort=d");
        waiting().until(d -> rows().size() == expected.size());
        List<Double> durations = new ArrayList<>();
        for (WebElement row : rows()) {
            String token = row.getAttribute("data-token");
            if (Files.isRegularFile(results.resolve(token).resolve("result.json")) && !token.endsWith("0123456789ab")) {
                durations.add(result(token).path("metrics").path("durationSeconds").asDouble());
            }
        }
        assertThat(durations).hasSize(mlpRuns.size() + 4).isSorted();
    }

    @Test
    void theFilterHidesRows() {
        open("index.html");
        waiting().until(d -> rows().size() == expected.size());
        driver.findElement(By.cssSelector(".toolbar input[type=search]")).sendKeys("select-by");
        waiting().until(d -> rows().size() == 2);
        assertThat(rows()).allMatch(r -> r.getAttribute("data-token").startsWith("nmt.select-by-content/"));
        driver.findElement(By.cssSelector(".toolbar input[type=search]")).clear();
        js("const s = document.querySelector('.toolbar input[type=search]'); s.value = ''; s.dispatchEvent(new Event('input'));");
        new Select(driver.findElement(By.cssSelector("select[aria-label=status]"))).selectByValue("failed");
        waiting().until(d -> rows().size() == 1);
        assertThat(rows().get(0).getAttribute("data-token")).isEqualTo(failedRun);
        assertThat(driver.getCurrentUrl()).contains("status=failed");
    }

    @Test
    void aRunPageShowsItsAnswersAndDrawsItsCurves() throws Exception {
        String decoding = expected.keySet().stream().filter(t -> t.startsWith("theory.decoding/") && !t.endsWith("0123456789ab"))
                .findFirst().orElseThrow();
        open("run.html#" + decoding);
        WebElement answers = waiting().until(d -> d.findElements(By.xpath("//section[h2='Answers']")).stream().findFirst().orElse(null));
        JsonNode expectedAnswers = result(decoding).path("answers");
        // the answer texts as the run wrote them (one of them holds "<BOS>": shown as text, not markup)
        assertThat(expectedAnswers.path("sequenceCountFormula").asText()).contains("<BOS>");
        assertThat(answers.getText()).contains(expectedAnswers.path("sequenceCountFormula").asText())
                .contains("exhaustiveVsBruteForceResidual").contains("passed");
        assertThat(answers.getText()).contains(String.valueOf(expectedAnswers.path("sequenceCount").asInt()));

        String mlp = "vision.mlp-scratch/" + mlpRuns.get(0);
        open("run.html#" + mlp);
        WebElement canvas = chart("trainLoss");
        assertThat(pixels(canvas, 0x1f, 0x77, 0xb4)).as("trainLoss line pixels").isGreaterThan(50);
        WebElement png = driver.findElement(By.cssSelector(".pngs img[alt='loss.png']"));
        // the plots load lazily: bring it into view, then wait for the browser to have decoded it
        js("arguments[0].scrollIntoView()", png);
        waiting().until(d -> Boolean.TRUE.equals(js("return arguments[0].complete", png)));
        assertThat(((Number) js("return arguments[0].naturalWidth", png)).intValue()).as("loss.png loaded").isPositive();
        // hover shows the values under the cursor in the legend
        new org.openqa.selenium.interactions.Actions(driver).moveToElement(canvas).perform();
        assertThat(driver.findElement(By.cssSelector(".chart-box[data-title='trainLoss'] .u-legend")).getText()).doesNotContain("—");
        assertThat(driver.findElement(By.cssSelector(".log-run-log pre")).getText()).contains("vision.mlp-scratch");
        js("window.scrollTo(0, 0)");
        screenshot("run.png");
        js("document.querySelector('.chart-box').scrollIntoView(); window.scrollBy(0, -60)");
        screenshot("run-charts.png");

        open("run.html#" + failedRun);
        WebElement error = waiting().until(d -> d.findElements(By.cssSelector(".alert.error")).stream().findFirst().orElse(null));
        assertThat(error.getText()).contains(EVIL);
        assertThat(driver.findElement(By.cssSelector(".log-error-log pre")).getText()).contains(EVIL).contains("at it.report");
        assertThat(driver.findElements(By.cssSelector("img[src=x]"))).isEmpty();
    }

    @Test
    void theCompareViewOverlaysTwoRunsLossCurves() throws Exception {
        open("index.html#exp=vision.mlp-scratch");
        waiting().until(d -> rows().size() == 3);
        for (String id : mlpRuns.subList(0, 2)) {
            driver.findElement(By.cssSelector("tr[data-token='vision.mlp-scratch/" + id + "'] input[type=checkbox]")).click();
        }
        WebElement compare = driver.findElement(By.xpath("//button[starts-with(., 'Compare selected')]"));
        assertThat(compare.getText()).isEqualTo("Compare selected (2)");
        compare.click();
        WebElement canvas = chart("trainLoss");
        assertThat(driver.getCurrentUrl()).contains("compare.html#");
        @SuppressWarnings("unchecked")
        List<String> labels = (List<String>) js("return window.DLX_CHARTS.find(c => c.title === 'trainLoss').labels");
        assertThat(labels).containsExactlyInAnyOrder(mlpRuns.get(0).substring(0, 8), mlpRuns.get(1).substring(0, 8));
        assertThat(pixels(canvas, 0x1f, 0x77, 0xb4)).as("first run's line").isGreaterThan(50);
        assertThat(pixels(canvas, 0xd6, 0x27, 0x28)).as("second run's line").isGreaterThan(50);
        WebElement lr = driver.findElement(By.cssSelector("table.side tr[data-key='params.learningRate']"));
        assertThat(lr.getAttribute("class")).isEqualTo("diff");
        assertThat(driver.findElement(By.cssSelector("table.side tr[data-key='params.batchSize']")).getAttribute("class")).isEqualTo("same");
        screenshot("compare.png", 1400); // the curves and the first rows side by side
    }

    @Test
    void compareFromTheCommandLineAndASweepChart() throws Exception {
        Path site = work.resolve("site-compare");
        Run r = dlx("report", results.toString(), "--out", site.toString(), "--compare", mlpRuns.get(0), mlpRuns.get(1), mlpRuns.get(2));
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("compare: " + site.resolve("compare.html"));
        driver.get(site.resolve("compare.html").toUri().toString());
        chart("trainLoss");
        assertThat(driver.findElement(By.tagName("h1")).getText()).isEqualTo("Compare 3 runs");
        // three runs of one experiment differing in two parameters: a metric against each
        new Select(waiting().until(d -> d.findElement(By.cssSelector("select[aria-label=metric]")))).selectByValue("testAccuracy");
        WebElement sweep = waiting().until(d -> d.findElements(By.cssSelector(".chart-box[data-title^='testAccuracy against'] canvas"))
                .size() == 2 ? d.findElement(By.cssSelector(".chart-box[data-title='testAccuracy against learningRate'] canvas")) : null);
        @SuppressWarnings("unchecked")
        List<String> lines = (List<String>) js("return window.DLX_CHARTS.find(c => c.title === 'testAccuracy against learningRate').labels");
        assertThat(lines).containsExactlyInAnyOrder("epochs=3", "epochs=2"); // a line per setting of the other parameter
        assertThat(pixels(sweep, 0x1f, 0x77, 0xb4)).as("the sweep's points").isGreaterThan(20);
        js("arguments[0].closest('section').scrollIntoView(); window.scrollBy(0, -60)", sweep);
        screenshot("compare-sweep.png");
    }

    @Test
    void theAnswersPageListsEachCheckWithItsVerdict() throws Exception {
        open("answers.html");
        WebElement section = waiting().until(d -> d.findElements(By.id("exp-theory.decoding")).stream().findFirst().orElse(null));
        List<WebElement> checks = section.findElements(By.cssSelector("table.checks tbody tr"));
        assertThat(checks).extracting(c -> c.findElement(By.tagName("td")).getText())
                .contains("exhaustiveVsBruteForceResidual", "wideBeamVsExhaustiveResidual", "greedyVsBeam1Residual");
        assertThat(checks).allMatch(c -> "passed".equals(c.getAttribute("data-verdict")));
        assertThat(section.getText()).contains("[the, red, rectangle]"); // greedy, a list shown as a list
        assertThat(driver.findElement(By.id("exp-theory.normalization")).getText()).contains("welfordMaxAbsResidual");
        screenshot("answers.png");
    }

    private static Run dlx(String... args) throws Exception {
        return Dist.dlx(Map.of("DLX_CACHE", work.resolve("cache").toString()), 5, args);
    }
}
