package io.tandem.browser;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;

import io.tandem.fleet.ClusterView;
import io.tandem.monitor.NodeRole;
import io.tandem.monitor.PairStates;
import io.tandem.support.Browser;

/**
 * A manual failover in real Chromium, as an operator does it: from the passive's panel to the preflight, the typed
 * confirmation, and the progress page that follows the steps without a reload. Same context as LiveDemoBrowserTest.
 */
class OperationsBrowserTest extends DemoBrowserTest {

    @Autowired
    PairStates states;

    @Test
    void anOperatorFailsOverAfterThePreflightAndWatchesTheSteps() throws Exception {
        String base = base();
        WebDriverWait wait = waitFor(Duration.ofSeconds(60));
        loginAsAdmin();
        ClusterView hot = pair("demo-hot");
        String passive = wait.until(driver -> states.state(hot.id())
                .filter(s -> s.health().nodes().stream().anyMatch(n -> n.role() == NodeRole.ACTIVE))
                .filter(s -> s.health().canSurviveLossOf(other(hot, passiveOf(s))).survives())
                .map(OperationsBrowserTest::passiveOf).orElse(null));

        browser.get(base + "/clusters/" + hot.id());
        // the buttons follow the live state (fetched after the health panel), so wait for the passive's to be offered
        // the buttons are fetched again on every health push, so a found link may be swapped out before the click lands
        Browser.click(browser, By.cssSelector("section[data-node='" + passive + "'] a[data-operation='FAILOVER']"),
                Duration.ofSeconds(60));

        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("checks")));
        assertThat(browser.findElements(By.cssSelector("#checks li[data-verdict='BLOCK']"))).isEmpty();
        assertThat(browser.findElement(By.id("plan")).getText()).contains("pcs resource move");
        Browser.screenshot(browser, "15-demo-failover-preflight");

        browser.findElement(By.id("confirm")).sendKeys("not-the-pair");
        browser.findElement(By.id("start-operation")).click();
        assertThat(wait.until(ExpectedConditions.presenceOfElementLocated(By.id("operation-error"))).getText())
                .contains("Type 'demo-hot'");

        browser.findElement(By.id("confirm")).sendKeys("demo-hot");
        browser.findElement(By.id("start-operation")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("progress")));
        Object page = ((JavascriptExecutor) browser).executeScript("return window.performance.timeOrigin;");

        wait.until(driver -> "SUCCEEDED".equals(status(driver)) || "FAILED".equals(status(driver)) ? status(driver) : null);
        assertThat(status(browser)).as(browser.findElement(By.id("progress")).getText()).isEqualTo("SUCCEEDED");
        assertThat(((JavascriptExecutor) browser).executeScript("return window.performance.timeOrigin;"))
                .as("followed on the same page, never reloaded").isEqualTo(page);
        assertThat(browser.findElement(By.id("steps")).getText()).contains("Roles swapped", passive + " is ACTIVE");
        Browser.screenshot(browser, "16-demo-failover-done");
        assertThat(states.state(hot.id()).orElseThrow().health().node(passive).role()).isEqualTo(NodeRole.ACTIVE);
    }

    @Test
    void anAdminOpensAnAgentsRemovalFromItsNodeCard() throws Exception {
        WebDriverWait wait = waitFor(Duration.ofSeconds(60));
        loginAsAdmin();
        ClusterView hot = pair("demo-hot");
        String node = hot.nodes().get(0).name();

        browser.get(base() + "/clusters/" + hot.id());
        // the demo's agents are this console's own build, read from their snapshots: no upgrade offered
        String card = "section[data-node='" + node + "'] ";
        wait.until(driver -> "UP_TO_DATE".equals(attribute(driver, card + ".agent-version", "data-standing")));
        assertThat(textOnceRead(card + ".agent-version")).contains(io.tandem.node.Version.ofThisBuild(), "(this console: ");
        assertThat(browser.findElements(By.cssSelector(card + "a[data-operation='UPGRADE_AGENT']"))).isEmpty();
        Browser.click(browser, By.cssSelector(card + "a[data-operation='REMOVE_AGENT']"), Duration.ofSeconds(60));

        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("checks")));
        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Remove agent: " + node);
        assertThat(browser.findElement(By.id("plan")).getText()).contains("Switch " + node + " back to SSH access",
                "Stop and disable the agent");
        // the demo's nodes have no SSH access to remove anything with: the preflight says so and offers no confirmation
        assertThat(browser.findElement(By.id("checks")).getText()).contains("No SSH access to " + node);
        assertThat(browser.findElements(By.id("start-operation"))).isEmpty();
    }

    private static String passiveOf(PairStates.PairState state) {
        return state.health().nodes().stream().filter(n -> n.role() == NodeRole.PASSIVE_HOT).map(io.tandem.monitor.NodeState::node)
                .findFirst().orElse(null);
    }

    private static String other(ClusterView cluster, String node) {
        return cluster.nodes().stream().map(ClusterView.NodeView::name).filter(n -> !n.equals(node)).findFirst().orElseThrow();
    }

    /** The progress panel is replaced every second; read it afresh. */
    private static String status(WebDriver driver) {
        return attribute(driver, "#progress", "data-status");
    }
}
