package io.tandem.browser;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.tandem.ConsoleApplication;
import io.tandem.datastore.DataDirectory;
import io.tandem.fleet.FleetService;
import io.tandem.support.Browser;

/**
 * The first run as an operator lives it, in real Chromium against a console with an empty
 * database of its own: admin's first login, the forced password change, registering a pair,
 * logging out; then a VIEWER who sees the pair but cannot change it, even with a forged request.
 */
@Tag("browser")
@SpringBootTest(classes = ConsoleApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "tandem.test.context=first-run-browser")
class FirstRunBrowserTest {

    @LocalServerPort
    int port;
    @Autowired
    DataDirectory dataDirectory;
    @Autowired
    FleetService fleet;

    private WebDriver browser;
    private WebDriverWait wait;

    @BeforeEach
    void open() throws Exception {
        browser = Browser.start();
        wait = new WebDriverWait(browser, Duration.ofSeconds(15));
    }

    @AfterEach
    void close() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void adminRegistersTheFirstPairAndAViewerCanOnlyLook() throws Exception {
        String initial = Files.readString(dataDirectory.resolve("initial-admin-password")).strip();

        logIn("admin", initial);
        wait.until(ExpectedConditions.urlContains("/account/password"));
        assertThat(browser.findElement(By.id("forced-change")).getText()).contains("temporary password");
        Browser.screenshot(browser, "01-forced-password-change");
        browser.findElement(By.id("currentPassword")).sendKeys(initial);
        browser.findElement(By.id("newPassword")).sendKeys("owner-new-secret");
        browser.findElement(By.id("repeatPassword")).sendKeys("owner-new-secret");
        browser.findElement(By.id("change-password")).click();

        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("fleet-empty")));
        Browser.screenshot(browser, "02-empty-fleet");
        browser.findElement(By.id("register-first-pair")).click();

        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("cluster-form")));
        browser.findElement(By.id("name")).sendKeys("<script>alert(1)</script>");
        new Select(browser.findElement(By.id("mode"))).selectByValue("HOT");
        fillNode(0, "nfo-a", "10.0.0.1", "AGENT");
        fillNode(1, "nfo-b", "10.0.0.2", "SSH");
        Browser.screenshot(browser, "03-register-pair");
        browser.findElement(By.id("save-cluster")).click();

        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("edit-cluster")));
        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("<script>alert(1)</script>");
        Browser.screenshot(browser, "04-pair-detail");

        browser.get(url("/"));
        WebElement card = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(".card")));
        assertThat(card.getText()).contains("<script>alert(1)</script>", "nfo-a", "nfo-b", "HOT");
        Browser.screenshot(browser, "05-fleet-overview");

        // admin creates a viewer, then logs out
        browser.get(url("/admin/users"));
        browser.findElement(By.id("new-username")).sendKeys("watcher");
        new Select(browser.findElement(By.id("new-role"))).selectByValue("VIEWER");
        browser.findElement(By.id("new-password")).sendKeys("glance-first-pw");
        browser.findElement(By.id("create-user-submit")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("user-table"), "watcher"));
        logOut();

        logIn("watcher", "glance-first-pw");
        wait.until(ExpectedConditions.urlContains("/account/password"));
        browser.findElement(By.id("currentPassword")).sendKeys("glance-first-pw");
        browser.findElement(By.id("newPassword")).sendKeys("glance-own-pw");
        browser.findElement(By.id("repeatPassword")).sendKeys("glance-own-pw");
        browser.findElement(By.id("change-password")).click();

        wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(".card")));
        assertThat(browser.findElements(By.id("register-pair"))).isEmpty();
        Browser.click(browser, By.cssSelector(".card"), Duration.ofSeconds(30));
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("section[data-node='nfo-a']")));
        assertThat(browser.findElements(By.id("edit-cluster"))).isEmpty();
        assertThat(browser.findElements(By.id("delete-cluster"))).isEmpty();
        assertThat(browser.findElements(By.linkText("Users"))).isEmpty();
        Browser.screenshot(browser, "06-viewer-detail");

        // a forged delete from the viewer's own page, with a valid CSRF token, is still refused
        String id = browser.getCurrentUrl().replaceAll(".*/clusters/", "");
        Object status = ((JavascriptExecutor) browser).executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                const headers = JSON.parse(document.body.getAttribute('hx-headers'));
                fetch('/clusters/' + arguments[0] + '/delete', {method: 'POST', headers: headers,
                      body: new URLSearchParams({confirmName: '<script>alert(1)</script>'})})
                  .then(r => done(r.status)).catch(e => done(String(e)));
                """, id);
        assertThat(status).isEqualTo(403L);
        assertThat(fleet.list()).hasSize(1);
        logOut();
        assertThat(browser.getCurrentUrl()).contains("/login");
    }

    private void fillNode(int index, String name, String address, String access) {
        browser.findElement(By.id("nodes" + index + ".name")).sendKeys(name);
        browser.findElement(By.id("nodes" + index + ".address")).sendKeys(address);
        new Select(browser.findElement(By.id("nodes" + index + ".access"))).selectByValue(access);
    }

    private void logIn(String username, String password) {
        browser.get(url("/login"));
        browser.findElement(By.id("username")).sendKeys(username);
        browser.findElement(By.id("password")).sendKeys(password);
        browser.findElement(By.id("login-submit")).click();
    }

    private void logOut() {
        List<WebElement> buttons = browser.findElements(By.cssSelector(".usermenu button"));
        buttons.get(0).click();
        wait.until(ExpectedConditions.urlContains("/login"));
    }

    private String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }
}
