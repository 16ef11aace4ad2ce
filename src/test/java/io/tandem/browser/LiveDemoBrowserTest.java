package io.tandem.browser;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import io.tandem.fleet.ClusterView;
import io.tandem.support.Browser;

/**
 * The demo in real Chromium: a passive's output opens and the open fleet overview turns the pair critical, then a
 * node crashes and the open pair page shows it, both without a reload.
 */
class LiveDemoBrowserTest extends DemoBrowserTest {

    @Test
    void thePairPageShowsACrashedNodeWithoutAReload() throws Exception {
        WebDriverWait wait = waitFor(Duration.ofSeconds(30));
        loginAsAdmin();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(".card[data-cluster='demo-hot']")));
        wait.until(ExpectedConditions.attributeToBe(By.cssSelector(".card[data-cluster='demo-hot']"), "data-health", "OK"));
        Browser.screenshot(browser, "10-demo-overview");

        // the overview no longer polls: a fault on a node reaches the open page as a pushed card
        Object overview = ((org.openqa.selenium.JavascriptExecutor) browser).executeScript("return window.performance.timeOrigin;");
        String passive = wait.until(driver -> attribute(driver,
                ".card[data-cluster='demo-hot'] .node:has(.role[data-role='PASSIVE_HOT'])", "data-node"));
        demo.inject("demo-hot", passive, "open-gate");
        waitFor(Duration.ofSeconds(10)).until(ExpectedConditions.attributeToBe(
                By.cssSelector(".card[data-cluster='demo-hot']"), "data-health", "CRITICAL"));
        assertThat(textOnceRead(".card[data-cluster='demo-hot'] .summary")).isNotBlank(); // read afresh: cards are replaced on every push
        Browser.screenshot(browser, "10b-demo-overview-split-brain");
        demo.heal();
        wait.until(ExpectedConditions.attributeToBe(By.cssSelector(".card[data-cluster='demo-hot']"), "data-health", "OK"));
        assertThat(((org.openqa.selenium.JavascriptExecutor) browser).executeScript("return window.performance.timeOrigin;"))
                .as("the overview was never reloaded").isEqualTo(overview);

        ClusterView hot = pair("demo-hot");
        browser.get(base() + "/clusters/" + hot.id());
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#health .node-role[data-role='ACTIVE']")));
        String active = wait.until(driver -> attribute(driver, "#health .node-role[data-role='ACTIVE']", "data-node"));
        Object marker = ((org.openqa.selenium.JavascriptExecutor) browser).executeScript("return window.performance.timeOrigin;");
        Browser.screenshot(browser, "11-demo-pair-healthy");

        demo.inject("demo-hot", active, "crash-node");

        // the page polls only every 15 s as a fallback: within 10 s the change can only have been pushed
        waitFor(Duration.ofSeconds(10)).until(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("#health .node-role[data-node='" + active + "'][data-role='UNREACHABLE']")));
        assertThat(((org.openqa.selenium.JavascriptExecutor) browser).executeScript("return window.performance.timeOrigin;"))
                .as("the same page, never reloaded").isEqualTo(marker);
        String findings = wait.until(driver -> text(driver, "#findings"));
        assertThat(findings).isNotBlank();
        Browser.screenshot(browser, "12-demo-pair-node-crashed");

        browser.get(base() + "/clusters/" + hot.id() + "/history?range=1h");
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#timeline .role-unreachable")));
        Browser.screenshot(browser, "13-demo-history");
    }

}
