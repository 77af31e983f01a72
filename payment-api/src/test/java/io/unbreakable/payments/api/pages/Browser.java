package io.unbreakable.payments.api.pages;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Debian's Chromium, headless, through Debian's chromedriver: no browser or driver is downloaded.
 * Korean is the browser's language (as at a Korean finance team's desk); downloads land in a fresh
 * folder per browser. Screenshots go to target/screenshots, or to {@code -Dpages.screenshots=DIR}
 * (the committed ones in docs/screenshots are made with {@code -Dpages.screenshots=../docs/screenshots}).
 */
final class Browser implements AutoCloseable {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    private static final Logger log = LoggerFactory.getLogger(Browser.class);

    final ChromeDriver driver;
    final Path downloads;
    private final Path profile;

    private Browser(ChromeDriver driver, Path downloads, Path profile) {
        this.driver = driver;
        this.downloads = downloads;
        this.profile = profile;
    }

    static boolean available() {
        boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        if (!present) {
            String message = "BROWSER TESTS SKIPPED: " + CHROMIUM + " or " + CHROMEDRIVER
                    + " is missing; install them with: apt-get install -y chromium chromium-driver (.ci/run does)";
            log.warn("\n\n  {}\n", message);
            System.err.println("\n!!!!! " + message + " !!!!!\n");
        }
        return present;
    }

    static Browser start() throws IOException {
        Path profile = Files.createTempDirectory("chromium-profile-");
        Path downloads = Files.createTempDirectory("chromium-downloads-");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--user-data-dir=" + profile, "--lang=ko-KR", "--window-size=1440,1000");
        options.setExperimentalOption("prefs", Map.of("intl.accept_languages", "ko-KR,ko",
                "download.default_directory", downloads.toString(), "download.prompt_for_download", false));
        // the console's messages, where Chromium reports what a Content-Security-Policy blocked
        options.setCapability("goog:loggingPrefs", Map.of("browser", "ALL"));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().implicitlyWait(Duration.ZERO).pageLoadTimeout(Duration.ofSeconds(30));
        return new Browser(driver, downloads, profile);
    }

    /** What the pages logged to the browser's console since the last call. */
    List<String> consoleMessages() {
        return driver.manage().logs().get(LogType.BROWSER).getAll().stream().map(LogEntry::getMessage).toList();
    }

    void screenshot(String name) throws IOException {
        Path directory = Path.of(System.getProperty("pages.screenshots", "target/screenshots"));
        Files.createDirectories(directory);
        Files.write(directory.resolve(name + ".png"), ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
    }

    /** The downloaded file once Chromium has finished writing it. */
    Path downloaded(String fileName, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Path file = downloads.resolve(fileName);
        while (System.nanoTime() < deadline) {
            if (Files.isRegularFile(file)) {
                return file;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no download " + fileName + " in " + downloads + ": " + list(downloads));
    }

    @Override
    public void close() {
        driver.quit();
        delete(profile);
        delete(downloads);
    }

    private static List<Path> list(Path directory) {
        try (Stream<Path> files = Files.list(directory)) {
            return files.toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void delete(Path directory) {
        try (Stream<Path> files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            log.warn("could not delete {}", directory, e);
        }
    }
}
