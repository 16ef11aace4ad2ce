package io.tandem.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.request;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.test.web.servlet.MockMvc;

import io.tandem.fleet.ClusterMode;
import io.tandem.fleet.ClusterSpec;
import io.tandem.fleet.ClusterView;
import io.tandem.fleet.FleetRulesTest;
import io.tandem.fleet.FleetService;
import io.tandem.identity.Role;
import io.tandem.node.GateStatus;
import io.tandem.support.ConsoleTest;
import io.tandem.support.TestUsers;

/** The fleet overview is pushed to the browser when a pair's health changes, with the browser's filter kept. */
@ConsoleTest
class FleetOverviewStreamTest {

    @Autowired
    MockMvc mvc;
    @Autowired
    TestUsers users;
    @Autowired
    FleetService fleet;
    @Autowired
    PairStates states;

    @Test
    void aSplitBrainReachesAnOpenOverviewAsAPushedCardAndTheFilterStillHolds() throws Exception {
        String prefix = "live-" + UUID.randomUUID().toString().substring(0, 8);
        ClusterView watched = pair(prefix + "-one");
        ClusterView other = pair("elsewhere-" + UUID.randomUUID());
        observe(watched, GateStatus.BLOCKED);
        observe(other, GateStatus.BLOCKED);
        MockHttpSession viewer = TestUsers.login(mvc, users.create(Role.VIEWER));

        String page = mvc.perform(get("/").param("q", prefix).session(viewer)).andExpect(status().isOk())
                .andReturn().getResponse().getContentAsString();
        assertThat(page).as("the page subscribes with its filter and no longer polls")
                .contains("sse-connect=\"/fleet/events?q=" + prefix + "&amp;health=\"").doesNotContain("every 3s")
                .contains("data-cluster=\"" + watched.name() + "\" data-health=\"OK\"");

        MockHttpServletResponse stream = mvc.perform(get("/fleet/events").param("q", prefix).session(viewer))
                .andExpect(request().asyncStarted()).andReturn().getResponse();

        observe(watched, GateStatus.OPEN); // the passive opens its output: both nodes feed the SIEM
        observe(other, GateStatus.OPEN);

        String pushed = awaitEvent(stream, "data-cluster=\"" + watched.name() + "\" data-health=\"CRITICAL\"");
        assertThat(pushed).contains("event:cards")
                .contains("data-node=\"nfo-b\"").contains("data-role=\"ACTIVE\"")
                .as("only the pairs the browser filtered for").doesNotContain(other.name());
    }

    private ClusterView pair(String name) {
        return fleet.create(new ClusterSpec(name, ClusterMode.HOT, null, null, null, null, null,
                List.of(FleetRulesTest.node("nfo-a", "10.5.0.1"), FleetRulesTest.node("nfo-b", "10.5.0.2"))));
    }

    /** nfo-a active with its output open; nfo-b running with its gate as given. */
    private void observe(ClusterView pair, GateStatus passiveGate) {
        String pcmk = CrmMonXml.hot("nfo-a", "nfo-a", "nfo-b").xml();
        Instant now = Instant.now();
        states.observed(pair, pair.nodes().get(0).id(), NodeRatesTest.observe(Snapshots.node("nfo-a").takenAt(now).crmMon(pcmk)
                .gate(GateStatus.OPEN)));
        states.observed(pair, pair.nodes().get(1).id(), NodeRatesTest.observe(Snapshots.node("nfo-b").takenAt(now).crmMon(pcmk)
                .gate(passiveGate)));
    }

    /** Waits for the server to push what the operator would see; the stream's content grows as events arrive. */
    private static String awaitEvent(MockHttpServletResponse stream, String expected) throws Exception {
        long deadline = System.nanoTime() + 10_000_000_000L;
        String body = stream.getContentAsString();
        while (!body.contains(expected) && System.nanoTime() < deadline) {
            Thread.sleep(50);
            body = stream.getContentAsString();
        }
        assertThat(body).contains(expected);
        return body.substring(body.lastIndexOf("event:cards"));
    }
}
