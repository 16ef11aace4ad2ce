package io.tandem.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
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

/** The pair page's topology picture, drawn from two readings of each node as the monitor records them. */
@ConsoleTest
class PairTopologyTest {

    @Autowired
    MockMvc mvc;
    @Autowired
    TestUsers users;
    @Autowired
    FleetService fleet;
    @Autowired
    PairStates states;

    @Test
    void thePictureShowsEachNodesRoleItsGateAndItsLiveRatesInWords() throws Exception {
        ClusterView pair = fleet.create(new ClusterSpec("topology-" + UUID.randomUUID(), ClusterMode.HOT, null, null, null, null, null,
                List.of(FleetRulesTest.node("nfo-a", "10.4.0.1"), FleetRulesTest.node("nfo-b", "10.4.0.2"))));
        String pcmk = CrmMonXml.hot("nfo-a", "nfo-a", "nfo-b").xml();
        UUID a = pair.nodes().get(0).id();
        UUID b = pair.nodes().get(1).id();
        var now = java.time.Instant.now();
        states.observed(pair, a, NodeRatesTest.observe(Snapshots.node("nfo-a").takenAt(now.minusSeconds(2)).crmMon(pcmk)
                .gate(GateStatus.OPEN).udp(1_000, 100).templates(NodeRatesTest.templates(1_000, 0))));
        states.observed(pair, b, NodeRatesTest.observe(Snapshots.node("nfo-b").takenAt(now.minusSeconds(2)).crmMon(pcmk)
                .blockedHavingDropped(50).udp(1_000, 100).templates(NodeRatesTest.templates(1_000, 0))));
        states.observed(pair, a, NodeRatesTest.observe(Snapshots.node("nfo-a").takenAt(now).crmMon(pcmk)
                .gate(GateStatus.OPEN).udp(1_500, 340).templates(NodeRatesTest.templates(1_500, 100))));
        states.observed(pair, b, NodeRatesTest.observe(Snapshots.node("nfo-b").takenAt(now).crmMon(pcmk)
                .blockedHavingDropped(290).udp(1_500, 340).templates(NodeRatesTest.templates(1_500, 100))));

        MockHttpSession viewer = TestUsers.login(mvc, users.create(Role.VIEWER));
        String panel = mvc.perform(get("/clusters/" + pair.id() + "/health").session(viewer).header("HX-Request", "true"))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();

        String svg = panel.substring(panel.indexOf("<svg id=\"topology\""), panel.indexOf("</svg>", panel.indexOf("<svg id=\"topology\"")));
        assertThat(svg).contains("data-node=\"nfo-a\" data-role=\"ACTIVE\" data-gate=\"open\"")
                .contains("data-node=\"nfo-b\" data-role=\"PASSIVE_HOT\" data-gate=\"blocked\"")
                .contains("1 exporter")
                .contains("300 records in/s")          // (500 + 100) records in 2 s, on each node
                .contains("120 packets held back/s")   // the passive's drop rule: 240 packets in 2 s
                .contains("120 host datagrams out/s")
                .contains(">blocked<").contains(">open<");
        assertThat(svg).as("the picture in words for screen readers")
                .containsPattern("<desc id=\"topology-desc\">NetFlow from 1 exporter reaches both nodes\\. nfo-a is ACTIVE, output open, "
                        + "300 records in/s, 120 host datagrams out/s\\. nfo-b is PASSIVE_HOT, output blocked, 300 records in/s, "
                        + "120 packets held back/s\\.</desc>");
    }

    @Test
    void aNodeWhoseDataIsPastTheFreshnessBoundIsGreyedAndSaysHowOld() throws Exception {
        ClusterView pair = fleet.create(new ClusterSpec("aged-" + UUID.randomUUID(), ClusterMode.HOT, null, null, null, null, null,
                List.of(FleetRulesTest.node("nfo-a", "10.4.1.1"), FleetRulesTest.node("nfo-b", "10.4.1.2"))));
        String pcmk = CrmMonXml.hot("nfo-a", "nfo-a", "nfo-b").xml();
        var now = java.time.Instant.now();
        var fresh = Snapshots.node("nfo-a").takenAt(now).crmMon(pcmk).gate(GateStatus.OPEN).build();
        var old = Snapshots.node("nfo-b").takenAt(now.minusSeconds(95)).crmMon(pcmk).gate(GateStatus.BLOCKED).build();
        states.observed(pair, pair.nodes().get(0).id(), NodeObservation.read("nfo-a", fresh, now));
        states.observed(pair, pair.nodes().get(1).id(), NodeObservation.read("nfo-b", old, now.minusSeconds(95)));

        MockHttpSession viewer = TestUsers.login(mvc, users.create(Role.VIEWER));
        String panel = mvc.perform(get("/clusters/" + pair.id() + "/health").session(viewer).header("HX-Request", "true"))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();

        assertThat(panel).containsPattern("<tr data-node=\"nfo-b\"[^>]*class=\"stale\"[^>]*>\\s*<td>nfo-b</td>[^\\n]*\\s*<td class=\"role\">[\\s\\S]{0,200}?<td class=\"age\"[^>]*>9\\d s old \\(stale\\)</td>")
                .containsPattern("<tr data-node=\"nfo-a\" data-read=\"true\">\\s*<td>nfo-a</td>[\\s\\S]{0,200}?<td class=\"age\"[^>]*>\\d s old</td>")
                .containsPattern("<g class=\"node stale\" data-node=\"nfo-b\"")
                .contains("output blocked · 9");
    }

    @Test
    void thePictureDrawsOnlyWhatWasReadAndTheTableKeepsAnUnreadNode() throws Exception {
        ClusterView pair = fleet.create(new ClusterSpec("truth-" + UUID.randomUUID(), ClusterMode.HOT, null, null, null, null, null,
                List.of(FleetRulesTest.node("nfo-a", "10.4.2.1"), FleetRulesTest.node("nfo-b", "10.4.2.2"))));
        String pcmk = CrmMonXml.hot("nfo-a", "nfo-a", "nfo-b").xml();
        var now = java.time.Instant.now();
        // nfo-a runs without any gate; nfo-b answered but systemctl failed
        states.observed(pair, pair.nodes().get(0).id(), NodeObservation.read("nfo-a",
                Snapshots.node("nfo-a").takenAt(now).crmMon(pcmk).gate(GateStatus.ABSENT).build(), now));
        states.observed(pair, pair.nodes().get(1).id(), NodeObservation.read("nfo-b",
                Snapshots.node("nfo-b").takenAt(now).crmMon(pcmk).gate(GateStatus.OPEN)
                        .unreadable("service", "command failed", "systemctl: exit 1").build(), now));

        MockHttpSession viewer = TestUsers.login(mvc, users.create(Role.VIEWER));
        String panel = panel(pair, viewer);
        String svg = panel.substring(panel.indexOf("<svg id=\"topology\""), panel.indexOf("</svg>", panel.indexOf("<svg id=\"topology\"")));
        assertThat(svg).contains("data-node=\"nfo-a\" data-role=\"ACTIVE\" data-gate=\"ungated\"")
                .contains(">no gate<").contains("no output gate: output not gated")
                .as("a gate read OPEN beside an unread NFO state is not drawn open")
                .contains("data-node=\"nfo-b\" data-role=\"UNKNOWN\" data-gate=\"unknown\"")
                .contains("gate OPEN, NFO state not read")
                .doesNotContain(">open<");
        assertThat(panel).containsPattern("data-node=\"nfo-b\" data-role=\"UNKNOWN\"")
                .containsPattern("<td class=\"nfo-process\">not read</td>")
                .containsPattern("<td class=\"gate\">ABSENT \\(0 dropped\\)</td>")
                .as("the Pacemaker panel: DC, quorum, fencing").contains("id=\"pacemaker-summary\"")
                .contains("<dd class=\"dc\">nfo-a</dd>").contains("<dd class=\"quorum\">yes</dd>")
                .contains("stonith-enabled=true; devices: fence-nfo (stonith:fence_ipmilan)");

        // nfo-b stops answering: its row stays, saying it was not read, when and why
        states.observed(pair, pair.nodes().get(1).id(), NodeObservation.failed("nfo-b",
                new io.tandem.node.NodeAccessException.Unreachable("connect to 10.4.2.2:7443: connection refused", null), now));
        String unread = panel(pair, viewer);
        assertThat(unread).containsPattern("<tr data-node=\"nfo-b\"[^>]*data-read=\"false\"")
                .containsPattern("not read at \\d\\d:\\d\\d:\\d\\d UTC: unreachable")
                .contains("connection refused")
                .containsPattern("data-node=\"nfo-b\" data-role=\"UNREACHABLE\" data-gate=\"unknown\"");
    }

    private String panel(ClusterView pair, MockHttpSession viewer) throws Exception {
        return mvc.perform(get("/clusters/" + pair.id() + "/health").session(viewer).header("HX-Request", "true"))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
    }
}
