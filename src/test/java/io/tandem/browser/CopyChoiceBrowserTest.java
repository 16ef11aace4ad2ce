package io.tandem.browser;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;

import io.tandem.datastore.DataDirectory;
import io.tandem.fleet.ClusterView;
import io.tandem.monitor.NodeRole;
import io.tandem.monitor.PairStates;
import io.tandem.monitor.NodeState;
import io.tandem.support.Browser;

/**
 * A configuration copy in real Chromium where the operator leaves one changed file out: the preflight lists both
 * changed files ticked, the operator unticks one and confirms, and the drift view then shows only that file still
 * differing. Same context as LiveDemoBrowserTest; files are changed on the active's disk as an editor would.
 */
class CopyChoiceBrowserTest extends DemoBrowserTest {

    private static final String SERVER_CFG = "server/etc/server.cfg";

    @Autowired
    PairStates states;
    @Autowired
    DataDirectory dataDirectory;

    private Path activeHome;
    private Path passiveHome;
    private byte[] serverCfg;
    private String added;

    @AfterEach
    void putTheFilesBack() throws Exception {
        if (serverCfg != null) {
            Files.write(activeHome.resolve(SERVER_CFG), serverCfg);
            Files.write(passiveHome.resolve(SERVER_CFG), serverCfg);
        }
        if (added != null) {
            Files.deleteIfExists(activeHome.resolve(added));
            Files.deleteIfExists(passiveHome.resolve(added));
        }
    }

    @Test
    void anOperatorUnticksOneFileAndOnlyTheTickedOneIsCopied() throws Exception {
        WebDriverWait wait = waitFor(Duration.ofSeconds(60));
        loginAsAdmin();
        ClusterView hot = pair("demo-hot");
        PairStates.PairState healthy = wait.until(driver -> states.state(hot.id())
                .filter(s -> s.health().nodes().stream().anyMatch(n -> n.role() == NodeRole.ACTIVE))
                .filter(s -> s.health().nodes().stream().anyMatch(n -> n.role() == NodeRole.PASSIVE_HOT)).orElse(null));
        String active = nodeWithRole(healthy, NodeRole.ACTIVE);
        String passive = nodeWithRole(healthy, NodeRole.PASSIVE_HOT);
        activeHome = home(hot, active);
        passiveHome = home(hot, passive);
        serverCfg = Files.readAllBytes(activeHome.resolve(SERVER_CFG));
        String marker = "# not chosen " + UUID.randomUUID();
        Files.writeString(activeHome.resolve(SERVER_CFG), new String(serverCfg) + marker + "\n");
        added = "server/etc/exporters-" + UUID.randomUUID().toString().substring(0, 8) + ".cfg";
        Files.writeString(activeHome.resolve(added), "EXPORTER 10.0.0.7 v9\n");

        browser.get(base() + "/clusters/" + hot.id());
        // the node's buttons are fetched again on every health push: clicked as found, found again if just replaced
        Browser.click(browser, By.cssSelector("section[data-node='" + passive + "'] a[data-operation='COPY_CONFIG']"),
                Duration.ofSeconds(60));
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("copy-preview")));
        assertThat(browser.findElement(By.cssSelector(box(SERVER_CFG))).isSelected()).as("every change is ticked first").isTrue();
        assertThat(browser.findElement(By.cssSelector(box(added))).isSelected()).isTrue();
        assertThat(browser.findElement(By.cssSelector(".copy-file[data-path='" + SERVER_CFG + "']")).getText()).contains(marker);

        browser.findElement(By.cssSelector(box(SERVER_CFG))).click();
        assertThat(browser.findElement(By.cssSelector(box(SERVER_CFG))).isSelected()).isFalse();
        Browser.screenshot(browser, "17-demo-copy-choose-files");
        browser.findElement(By.id("confirm")).sendKeys(passive);
        browser.findElement(By.id("start-operation")).click();

        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("progress")));
        wait.until(driver -> "SUCCEEDED".equals(status(driver)) || "FAILED".equals(status(driver)) ? status(driver) : null);
        assertThat(status(browser)).as(textOnceRead("#progress")).isEqualTo("SUCCEEDED");
        assertThat(textOnceRead("#steps")).contains("1 file to copy: " + added, "Not chosen, left as they are: " + SERVER_CFG);

        // the drift view reads both nodes afresh: the unticked file still differs, the ticked one is no longer listed
        browser.get(base() + "/clusters/" + hot.id() + "/drift");
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("drift-table")));
        assertThat(browser.findElements(By.cssSelector("#drift-table tr[data-path='" + SERVER_CFG + "']"))).hasSize(1);
        assertThat(browser.findElements(By.cssSelector("#drift-table tr[data-path='" + added + "']")))
                .as("copied, so the same on both nodes").isEmpty();
        assertThat(Files.readString(passiveHome.resolve(added))).isEqualTo("EXPORTER 10.0.0.7 v9\n");
        assertThat(Files.readString(passiveHome.resolve(SERVER_CFG))).doesNotContain(marker);
    }

    private static String box(String path) {
        return "#copy-preview input[type='checkbox'][name='files'][value='" + path + "']";
    }

    private static String nodeWithRole(PairStates.PairState state, NodeRole role) {
        return state.health().nodes().stream().filter(n -> n.role() == role).map(NodeState::node).findFirst().orElseThrow();
    }

    private Path home(ClusterView pair, String node) {
        return dataDirectory.resolve("demo").resolve(pair.name()).resolve(node);
    }

    /** The progress panel is replaced every second; read it afresh. */
    private static String status(WebDriver driver) {
        return attribute(driver, "#progress", "data-status");
    }
}
