package io.tandem.browser;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import io.tandem.fleet.ClusterView;
import io.tandem.support.Browser;

/**
 * Drift in real Chromium: a configuration file changes on the passive, the pair page raises the finding, and the
 * operator follows it to the changed line shown beside the active's copy. Same context as LiveDemoBrowserTest.
 */
class DriftBrowserTest extends DemoBrowserTest {

    @Test
    void anOperatorFollowsTheDriftFindingToTheChangedLine() throws Exception {
        String base = base();
        WebDriverWait wait = waitFor(Duration.ofSeconds(40));
        loginAsAdmin();
        ClusterView hot = pair("demo-hot");
        String passive = hot.nodes().get(1).name();

        demo.inject("demo-hot", passive, "change-config");
        browser.get(base + "/clusters/" + hot.id());
        // drift is compared every 10 s; the pushed panel brings the finding and its link
        // the findings panel is replaced on every push: clicked as found, found again if it was just replaced
        Browser.click(browser, By.cssSelector("#findings li[data-finding='config-drift'] a.drift-link"), Duration.ofSeconds(40));

        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#drift-table tr[data-path='server/etc/server.cfg']")));
        browser.findElement(By.linkText("server/etc/server.cfg")).click();

        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("diff-table")));
        assertThat(browser.findElement(By.id("verdict")).getAttribute("data-verdict")).isEqualTo("TEXT_DIFFERS");
        List<String> headers = browser.findElements(By.cssSelector("#diff-table thead th")).stream()
                .map(h -> h.getText().toLowerCase(java.util.Locale.ROOT)).toList(); // headers are styled upper-case
        assertThat(headers).containsExactly(hot.nodes().get(0).name(), passive);
        WebElement added = browser.findElement(By.cssSelector("#diff-table tr[data-change='ONLY_RIGHT']"));
        assertThat(added.findElement(By.cssSelector("td.right")).getText()).startsWith("# changed in the lab at");
        assertThat(added.findElement(By.cssSelector("td.left")).getText()).isEmpty();
        Browser.screenshot(browser, "14-demo-drift-diff");

        // the history keeps the finding (other tests raise theirs in this shared context); clicking its stretch on the timeline lands on the event that raised it
        browser.get(base + "/clusters/" + hot.id() + "/history?range=1h");
        Browser.click(browser, By.cssSelector("#timeline a.segment rect.sev-warning[aria-label^='Configuration differs']"), Duration.ofSeconds(40));
        wait.until(ExpectedConditions.urlContains("#ev-"));
        String anchor = browser.getCurrentUrl().substring(browser.getCurrentUrl().indexOf("#ev-") + 1);
        assertThat(browser.findElement(By.id(anchor)).getText()).contains("Configuration differs between");
    }
}
