package io.tandem.browser;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.tandem.ConsoleApplication;
import io.tandem.demo.DemoLab;
import io.tandem.fleet.ClusterView;
import io.tandem.fleet.FleetService;
import io.tandem.support.Browser;

/**
 * Real Chromium against the console with the demo lab: one Spring context for every subclass (same annotations),
 * a fresh browser per test, the demo healed after each.
 */
@Tag("browser")
@SpringBootTest(classes = ConsoleApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"tandem.demo.enabled=true", "tandem.monitor.enabled=true", "tandem.admin-password=" + DemoBrowserTest.ADMIN_PASSWORD})
abstract class DemoBrowserTest {

    static final String ADMIN_PASSWORD = "live-demo-admin";

    @LocalServerPort
    int port;
    @Autowired
    FleetService fleet;
    @Autowired
    DemoLab demo;
    @Autowired
    io.tandem.monitor.PairStates pairStates;

    WebDriver browser;

    @BeforeEach
    void openBrowser() throws Exception {
        browser = Browser.start();
    }

    @AfterEach
    void closeBrowserAndHeal() {
        if (browser != null) {
            browser.quit();
        }
        if (demo != null) {
            demo.heal();
        }
    }

    String base() {
        return "http://127.0.0.1:" + port;
    }

    void loginAsAdmin() {
        Browser.login(browser, base(), "admin", ADMIN_PASSWORD);
    }

    ClusterView pair(String name) {
        return fleet.list().stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
    }

    /** What the monitor holds against {@code pair} now, for a wait's failure message. */
    String judged(String pair) {
        return pairStates.state(pair(pair).id()).map(s -> s.health().worst().map(Enum::name).orElse("OK") + " " + s.health().findings().stream()
                .map(f -> f.kind() + " on " + f.node() + ": " + f.cause()).toList()).orElse("not judged yet");
    }

    /** A wait that reads replaced elements afresh: pushed panels and cards are swapped while it polls. */
    WebDriverWait waitFor(java.time.Duration timeout) {
        WebDriverWait wait = new WebDriverWait(browser, timeout);
        wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class);
        return wait;
    }

    /** Pushed panels are replaced on every reading; an element found a moment ago may be gone, so read it afresh. */
    static String attribute(WebDriver driver, String css, String name) {
        try {
            return driver.findElement(By.cssSelector(css)).getAttribute(name);
        } catch (org.openqa.selenium.StaleElementReferenceException | org.openqa.selenium.NoSuchElementException replaced) {
            return null;
        }
    }

    /** An element's text read afresh until it reads whole (a pushed panel may be replaced between finding and reading). */
    String textOnceRead(String css) {
        return waitFor(java.time.Duration.ofSeconds(10)).until(driver -> text(driver, css));
    }

    /** An attribute read afresh until it reads whole; see {@link #textOnceRead}. */
    String attributeOnceRead(String css, String name) {
        return waitFor(java.time.Duration.ofSeconds(10)).until(driver -> attribute(driver, css, name));
    }

    static String text(WebDriver driver, String css) {
        try {
            String text = driver.findElement(By.cssSelector(css)).getText();
            return text.isBlank() ? null : text;
        } catch (org.openqa.selenium.StaleElementReferenceException | org.openqa.selenium.NoSuchElementException replaced) {
            return null;
        }
    }
}
