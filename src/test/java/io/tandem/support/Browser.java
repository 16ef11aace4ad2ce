package io.tandem.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/** Real headless Chromium from the distribution's packages; tests skip with a message when it is missing. */
public final class Browser {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path DRIVER = Path.of("/usr/bin/chromedriver");

    private Browser() {
    }

    public static WebDriver start() throws IOException {
        Assumptions.assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(DRIVER),
                "browser tests need the Debian packages chromium and chromium-driver (.ci/run installs them)");
        Path profile = Files.createTempDirectory("tandem-chromium");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--window-size=1400,1000", "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile()).build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
        return driver;
    }

    /** Signs in through the login form, as a person would. */
    public static void login(WebDriver driver, String base, String user, String password) {
        driver.get(base + "/login");
        driver.findElement(org.openqa.selenium.By.id("username")).sendKeys(user);
        driver.findElement(org.openqa.selenium.By.id("password")).sendKeys(password);
        driver.findElement(org.openqa.selenium.By.id("login-submit")).click();
    }

    /** Keeps a picture of what the user saw, for the README and for whoever debugs a failure. */
    public static void screenshot(WebDriver driver, String name) throws IOException {
        Path dir = Path.of("target", "screenshots");
        Files.createDirectories(dir);
        Files.write(dir.resolve(name + ".png"), ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
    }

    /**
     * Clicks what the locator finds once it is clickable. Pushed cards and panels are swapped while the page is open,
     * so an element found a moment ago may be gone when the click lands: find it afresh and click again.
     */
    public static void click(WebDriver driver, org.openqa.selenium.By locator, Duration timeout) {
        new org.openqa.selenium.support.ui.WebDriverWait(driver, timeout)
                .ignoring(org.openqa.selenium.StaleElementReferenceException.class)
                .until(d -> {
                    org.openqa.selenium.WebElement element =
                            org.openqa.selenium.support.ui.ExpectedConditions.elementToBeClickable(locator).apply(d);
                    if (element == null) {
                        return null;
                    }
                    element.click();
                    return true;
                });
    }
}
