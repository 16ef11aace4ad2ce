package io.tandem.browser;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;

import org.apache.catalina.connector.Connector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.tomcat.TomcatWebServer;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import io.tandem.ConsoleApplication;
import io.tandem.fleet.FleetService;
import io.tandem.support.Browser;
import io.tandem.support.DemoFaults;

/**
 * A live page whose console goes away says so. A console of its own (with the demo), a pair page and the overview
 * open in real Chromium; the console's connector is stopped (its streams cut, nothing answers), then started again on
 * the same port, then the whole console is closed.
 */
@Tag("browser")
class ContactLostBrowserTest {

    private static final String PASSWORD = "contact-lost-admin";
    /** The page calls itself cut off 5 s after the last event; the rest is slack for a loaded machine. */
    private static final Duration NOTICE = Duration.ofSeconds(20);

    private ConfigurableApplicationContext console;
    private WebDriver browser;

    @AfterEach
    void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (console != null) {
            console.close();
        }
    }

    @Test
    void livePagesShowTheyAreFrozenWhenTheConsoleGoesAwayAndRecoverWhenItReturns() throws Exception {
        Path dir = Files.createTempDirectory(Path.of("target"), "contact-lost");
        // a fixed port: the connector binds again on start, and with port 0 it would take a new one
        int port;
        try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
            port = free.getLocalPort();
        }
        console = new SpringApplication(ConsoleApplication.class).run("--server.port=" + port, "--server.address=127.0.0.1",
                "--tandem.data-dir=" + dir.toAbsolutePath(),
                "--tandem.demo.enabled=true", "--tandem.monitor.enabled=true", "--tandem.admin-password=" + PASSWORD);
        String base = "http://127.0.0.1:" + port;
        UUID hot = DemoFaults.pair(console.getBean(FleetService.class), "demo-hot").id();

        browser = Browser.start();
        Browser.login(browser, base, "admin", PASSWORD);
        browser.get(base + "/clusters/" + hot);
        String pairTab = browser.getWindowHandle();
        WebDriverWait wait = waitFor(Duration.ofSeconds(60));
        wait.until(d -> present(d, "#health .node-role[data-role='ACTIVE']") && present(d, "#health-age[data-read-at]"));
        browser.switchTo().newWindow(WindowType.TAB);
        String overviewTab = browser.getWindowHandle();
        browser.get(base + "/");
        wait.until(d -> present(d, ".card[data-cluster='demo-hot'][data-health='OK'] [data-live-within]"));
        assertThat(browser.findElement(By.id("contact-lost")).isDisplayed()).as("live: no banner").isFalse();

        // the console goes silent: its connector stops, every stream is cut and nothing answers
        Connector connector = ((TomcatWebServer) ((WebServerApplicationContext) console).getWebServer()).getTomcat().getConnector();
        connector.stop();

        waitFor(NOTICE).until(d -> bannerShown(d));
        assertThat(browser.findElement(By.id("contact-lost")).getText())
                .matches("No contact with the console since \\d\\d:\\d\\d:\\d\\d; what you see is frozen");
        assertThat(browser.findElement(By.id("fleet-live")).getAttribute("class")).contains("frozen");
        waitFor(NOTICE).until(d -> text(d, ".card[data-cluster='demo-hot'] [data-live-within]").startsWith("data at least"));
        Browser.screenshot(browser, "30-overview-contact-lost");

        browser.switchTo().window(pairTab);
        waitFor(NOTICE).until(d -> bannerShown(d));
        assertThat(browser.findElement(By.id("health-slot")).getAttribute("class")).contains("frozen");
        assertThat(browser.findElement(By.id("health-slot")).getCssValue("filter")).contains("grayscale");
        // the age keeps counting in the browser while nothing arrives from the console
        long before = seconds(text(browser, "#health-age"));
        long counted = Math.max(before + 2, 6);
        waitFor(NOTICE).until(d -> seconds(text(d, "#health-age")) >= counted);
        Browser.screenshot(browser, "31-pair-contact-lost");

        // the console answers again on the same port: the page reconnects, drops the banner and fetches its state
        connector.start();
        waitFor(Duration.ofSeconds(90)).until(d -> !bannerShown(d) && !classOf(d, "health-slot").contains("frozen"));
        waitFor(Duration.ofSeconds(30)).until(d -> seconds(text(d, "#health-age")) < counted);
        browser.switchTo().window(overviewTab);
        waitFor(Duration.ofSeconds(90)).until(d -> !bannerShown(d) && !classOf(d, "fleet-live").contains("frozen"));
        waitFor(NOTICE).until(d -> text(d, ".card[data-cluster='demo-hot'] [data-live-within]").startsWith("live"));

        // and now the console stops for good
        console.close();
        console = null;
        waitFor(NOTICE).until(d -> bannerShown(d));
        assertThat(browser.findElement(By.id("fleet-live")).getAttribute("class")).contains("frozen");
        browser.switchTo().window(pairTab);
        waitFor(NOTICE).until(d -> bannerShown(d) && classOf(d, "health-slot").contains("frozen"));
    }

    private WebDriverWait waitFor(Duration timeout) {
        WebDriverWait wait = new WebDriverWait(browser, timeout);
        wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class);
        return wait;
    }

    private static boolean bannerShown(WebDriver driver) {
        return Boolean.TRUE.equals(((JavascriptExecutor) driver).executeScript(
                "var b = document.getElementById('contact-lost'); return !!b && !b.hidden;"));
    }

    private static boolean present(WebDriver driver, String css) {
        return !driver.findElements(By.cssSelector(css)).isEmpty();
    }

    private static String classOf(WebDriver driver, String id) {
        String css = driver.findElement(By.id(id)).getAttribute("class");
        return css == null ? "" : css;
    }

    /** Read afresh: pushed panels are replaced while the test polls. */
    private static String text(WebDriver driver, String css) {
        Object text = ((JavascriptExecutor) driver).executeScript(
                "var e = document.querySelector(arguments[0]); return e ? e.textContent : '';", css);
        return text == null ? "" : text.toString().strip();
    }

    /** "data 12 s old" is 12; an age in minutes or more counts as large. */
    private static long seconds(String age) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+) (s|min|h|d)\\b").matcher(age);
        if (!m.find()) {
            return -1;
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "s" -> n;
            case "min" -> n * 60;
            case "h" -> n * 3600;
            default -> n * 86400;
        };
    }
}
