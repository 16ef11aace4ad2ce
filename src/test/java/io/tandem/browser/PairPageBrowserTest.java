package io.tandem.browser;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;

import io.tandem.fleet.ClusterView;
import io.tandem.monitor.NodeRole;
import io.tandem.monitor.PairStates;
import io.tandem.support.Browser;

/**
 * The pair page says only what applies and stays usable on a phone: operation buttons follow the nodes' live
 * roles (disabled with the reason where the preflight refuses), and at 390 px nothing is clipped or squeezed.
 */
class PairPageBrowserTest extends DemoBrowserTest {

    @Autowired
    PairStates states;

    @Test
    void operationsAppearOnlyWhereTheyApplyOrDisabledWithTheReason() throws Exception {
        WebDriverWait wait = waitFor(Duration.ofSeconds(60));
        loginAsAdmin();
        ClusterView hot = pair("demo-hot");
        String active = wait.until(driver -> roleHolder(hot, NodeRole.ACTIVE));
        String passive = wait.until(driver -> roleHolder(hot, NodeRole.PASSIVE_HOT));

        browser.get(base() + "/clusters/" + hot.id());

        String onActive = "section[data-node='" + active + "'] ";
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(onActive + "[data-operation='FAILOVER'][data-unavailable]")));
        assertThat(browser.findElements(By.cssSelector(onActive + "a[data-operation='FAILOVER']")))
                .as("no 'Make active' link on the active").isEmpty();
        // the buttons are fetched anew after each pushed health panel: each is read afresh until it reads whole
        assertThat(textOnceRead(onActive + "[data-operation='FAILOVER'][data-unavailable]"))
                .contains(active + " is already ACTIVE");
        Boolean disabled = wait.until(driver -> !driver.findElement(By.cssSelector(onActive + "[data-operation='FAILOVER'] button")).isEnabled());
        assertThat(disabled).as("the active's failover button is disabled").isTrue();
        assertThat(textOnceRead(onActive + "[data-operation='COPY_CONFIG'][data-unavailable]"))
                .as("no copy onto the active").contains(active + " is the ACTIVE node");
        wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector("section[data-node='" + passive + "'] a[data-operation='FAILOVER']")));
        wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector("section[data-node='" + passive + "'] a[data-operation='COPY_CONFIG']")));
    }

    @Test
    void theButtonsFollowAPushedChangeWithOneFetchPerNodeForEachSwap() throws Exception {
        WebDriverWait wait = waitFor(Duration.ofSeconds(60));
        loginAsAdmin();
        ClusterView hot = pair("demo-hot");
        String passive = wait.until(driver -> roleHolder(hot, NodeRole.PASSIVE_HOT));
        browser.get(base() + "/clusters/" + hot.id());
        String failover = "section[data-node='" + passive + "'] a[data-operation='FAILOVER']";
        wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector(failover)));
        JavascriptExecutor js = (JavascriptExecutor) browser;
        js.executeScript("window.swaps = 0; window.fetches = 0;"
                + "document.getElementById('health-slot').addEventListener('htmx:afterSettle', e => {"
                + "  if (e.target.id === 'health-slot') window.swaps++; });"
                + "document.body.addEventListener('htmx:beforeRequest', e => {"
                + "  if (e.detail.pathInfo.requestPath.includes('/operations/actions')) window.fetches++; });");
        // a fetch asked for by a swap before counting began may still be in flight, with another queued behind it that
        // would be counted without its swap: counting starts from a moment when no node's buttons are being fetched
        wait.until(driver -> (Boolean) js.executeScript("if (document.querySelector('.node-operations.htmx-request')) return false;"
                + "window.swaps = 0; window.fetches = 0; return true;"));

        // the page stays open while the passive's NFO dies: its failover is withdrawn, with the reason, by the push
        demo.inject("demo-hot", passive, "kill-nfo");
        wait.until(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("section[data-node='" + passive + "'] [data-operation='FAILOVER'][data-unavailable]")));

        // both counters in one read: the page keeps changing (Pacemaker restarts NFO), and a swap between two reads
        // would count its fetches without itself
        @SuppressWarnings("unchecked")
        List<Number> counted = (List<Number>) js.executeScript("return [window.swaps, window.fetches];");
        long swaps = counted.get(0).longValue();
        long fetches = counted.get(1).longValue();
        assertThat(swaps).as("the change arrived as a swap of the health panel").isPositive();
        assertThat(fetches).as("each node's buttons fetched once per health swap, not once per event").isLessThanOrEqualTo(2 * swaps);
    }

    @Test
    void thePairPageIsUsableAt390Pixels() throws Exception {
        WebDriverWait wait = waitFor(Duration.ofSeconds(60));
        loginAsAdmin();
        ClusterView hot = pair("demo-hot");
        wait.until(driver -> roleHolder(hot, NodeRole.ACTIVE));
        browser.manage().window().setSize(new Dimension(390, 844));

        browser.get(base() + "/clusters/" + hot.id());
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#node-table tbody tr")));
        JavascriptExecutor js = (JavascriptExecutor) browser;
        long viewport = ((Number) js.executeScript("return document.documentElement.clientWidth;")).longValue();

        Object wide = js.executeScript("return [...document.querySelectorAll('body *')].filter(e => !e.closest('.table-scroll'))"
                + ".filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5)"
                + ".slice(0, 8).map(e => e.tagName + '.' + e.className + '#' + e.id + ' ' + Math.round(e.getBoundingClientRect().right));");
        assertThat(((Number) js.executeScript("return document.documentElement.scrollWidth;")).longValue())
                .as("the page itself never scrolls sideways; too wide: %s", wide).isLessThanOrEqualTo(viewport);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> nav = (List<Map<String, Object>>) js.executeScript(
                "return [...document.querySelectorAll('.topbar a, .topbar button')].map(a => {"
                        + "const r = a.getBoundingClientRect(); return {text: a.textContent.trim(), left: r.left, right: r.right, width: r.width}; });");
        assertThat(nav).isNotEmpty().allSatisfy(link -> {
            assertThat(((Number) link.get("width")).doubleValue()).as("%s shown", link.get("text")).isPositive();
            assertThat(((Number) link.get("left")).doubleValue()).as("%s not clipped left", link.get("text")).isGreaterThanOrEqualTo(0);
            assertThat(((Number) link.get("right")).doubleValue()).as("%s not clipped right", link.get("text")).isLessThanOrEqualTo(viewport);
        });
        // the nodes table keeps readable columns and scrolls inside its own box
        @SuppressWarnings("unchecked")
        List<Number> columns = (List<Number>) js.executeScript(
                "return [...document.querySelectorAll('#node-table th')].map(th => th.getBoundingClientRect().width);");
        assertThat(columns).isNotEmpty().allSatisfy(width -> assertThat(width.doubleValue()).as("column width").isGreaterThan(40));
        Map<String, Object> scroller = scrollBox(js, "#node-table");
        assertThat(((Number) scroller.get("overflowX")).intValue()).as("the table's box scrolls").isEqualTo(1);
        assertThat(((Number) scroller.get("right")).doubleValue()).as("the box fits the screen").isLessThanOrEqualTo(viewport);
        Number svg = (Number) js.executeScript("return document.getElementById('topology').getBoundingClientRect().right;");
        assertThat(svg.doubleValue()).as("the topology fits the screen").isLessThanOrEqualTo(viewport);
        Browser.screenshot(browser, "20-pair-page-390px");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> scrollBox(JavascriptExecutor js, String table) {
        return (Map<String, Object>) js.executeScript(
                "const box = document.querySelector(arguments[0]).parentElement; const r = box.getBoundingClientRect();"
                        + "return {overflowX: getComputedStyle(box).overflowX === 'auto' ? 1 : 0, right: r.right};", table);
    }

    private String roleHolder(ClusterView pair, NodeRole role) {
        return states.state(pair.id()).flatMap(s -> s.health().nodes().stream().filter(n -> n.role() == role).findFirst())
                .map(io.tandem.monitor.NodeState::node).orElse(null);
    }
}
