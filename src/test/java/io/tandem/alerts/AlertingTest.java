package io.tandem.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.servlet.MockMvc;


import io.tandem.fleet.ClusterMode;
import io.tandem.fleet.ClusterSpec;
import io.tandem.fleet.ClusterView;
import io.tandem.fleet.FleetRulesTest;
import io.tandem.fleet.FleetService;
import io.tandem.identity.Role;
import io.tandem.monitor.Finding;
import io.tandem.monitor.HealthDiff;
import io.tandem.monitor.NodeRole;
import io.tandem.monitor.PairHealth;
import io.tandem.monitor.PairStates;
import io.tandem.monitor.Severity;
import io.tandem.support.ConsoleTest;
import io.tandem.support.TestUsers;
import io.tandem.support.PairEvents;
import io.tandem.support.WebhookReceiver;

/** Webhook alerts against a real HTTP receiver on loopback. */
@ConsoleTest
class AlertingTest {

    @Autowired
    MockMvc mvc;
    @Autowired
    TestUsers users;
    @Autowired
    FleetService fleet;
    @Autowired
    ApplicationContext events;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    io.micrometer.core.instrument.MeterRegistry meters;

    private WebhookReceiver receiver;

    @BeforeEach
    void listen() throws Exception {
        receiver = new WebhookReceiver(WebhookSender.SIGNATURE_HEADER);
    }

    @AfterEach
    void stop() {
        receiver.close();
    }

    @Test
    void aSignedTestAlertReachesTheWebhookAndIsRecorded() throws Exception {
        ClusterView pair = pair();
        String admin = users.token(users.create(Role.ADMIN));
        String operator = users.token(users.create(Role.OPERATOR));
        mvc.perform(put("/api/v1/clusters/" + pair.id() + "/alerts").header(HttpHeaders.AUTHORIZATION, "Bearer " + admin)
                        .contentType(MediaType.APPLICATION_JSON).content("{\"webhookUrl\": \"" + url() + "\", \"secret\": \"s3cret\"}"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.signed").value(true));
        mvc.perform(post("/api/v1/clusters/" + pair.id() + "/alerts/test").header(HttpHeaders.AUTHORIZATION, "Bearer " + operator))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.outcome").value("SUCCESS"));
        WebhookReceiver.Call call = receiver.next(5);
        assertThat(call).isNotNull();
        assertThat(call.body()).contains("\"reason\":\"TEST\"").contains(pair.name());
        assertThat(call.signature()).isEqualTo("sha256=" + WebhookSender.sign(call.body(), "s3cret"));
        assertThat(jdbc.queryForObject("select count(*) from alert_send where cluster_id = ? and outcome = 'SUCCESS'", Integer.class, pair.id()))
                .isEqualTo(1);
        byte[] stored = jdbc.queryForObject("select hmac_secret from alert_target where cluster_id = ?", byte[].class, pair.id());
        assertThat(stored).isNotEmpty();
        assertThat(new String(stored, StandardCharsets.ISO_8859_1)).as("the secret is stored encrypted").doesNotContain("s3cret");
    }

    @Test
    void aCriticalFindingIsSentOnceAndABadUrlIsRefused() throws Exception {
        ClusterView pair = pair();
        String admin = users.token(users.create(Role.ADMIN));
        mvc.perform(put("/api/v1/clusters/" + pair.id() + "/alerts").header(HttpHeaders.AUTHORIZATION, "Bearer " + admin)
                        .contentType(MediaType.APPLICATION_JSON).content("{\"webhookUrl\": \"file:///etc/passwd\"}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.type").value("urn:tandem:problem:invalid-webhook"));
        mvc.perform(put("/api/v1/clusters/" + pair.id() + "/alerts").header(HttpHeaders.AUTHORIZATION, "Bearer " + admin)
                        .contentType(MediaType.APPLICATION_JSON).content("{\"webhookUrl\": \"" + url() + "\"}"))
                .andExpect(status().isOk());

        Finding split = new Finding(Severity.CRITICAL, Finding.Kind.SPLIT_BRAIN_OUTPUT, "Both outputs are open",
                "Every record reaches the SIEM twice", List.of(), null);
        HealthDiff raised = new HealthDiff(List.of(split), List.of(), List.of(), List.of());
        PairHealth splitBrain = FailoverGraceTest.health(NodeRole.ACTIVE, NodeRole.ACTIVE, split);
        PairEvents.healthChanged(events, new PairStates.HealthChanged(pair, raised, splitBrain));
        WebhookReceiver.Call call = receiver.next(10);
        assertThat(call).isNotNull();
        assertThat(call.body()).contains("\"kind\":\"critical\"").contains("split-brain-output").contains("Both outputs are open")
                .contains("\"severity\":\"CRITICAL\"");
        assertThat(call.signature()).as("unsigned without a secret").isNull();

        PairEvents.healthChanged(events, new PairStates.HealthChanged(pair, raised, splitBrain)); // the same finding again: still open
        assertThat(receiver.next(7)).isNull();
    }

    @Test
    void changesWithinTheGapGoTogetherInTheNextSendAndEveryProblemGetsItsRecovery() throws Exception {
        ClusterView pair = pair();
        configure(pair, url());
        Finding split = new Finding(Severity.CRITICAL, Finding.Kind.SPLIT_BRAIN_OUTPUT, "Both outputs are open", "Twice", List.of(), null);
        Finding key = new Finding(Severity.CRITICAL, Finding.Kind.KEY_CHANGED, "KEY CHANGED on b", "Refused", List.of(), "b");
        PairHealth healthy = FailoverGraceTest.health(NodeRole.ACTIVE, NodeRole.PASSIVE_HOT);
        PairHealth open = FailoverGraceTest.health(NodeRole.ACTIVE, NodeRole.ACTIVE, split);
        PairHealth closedButKeyChanged = FailoverGraceTest.health(NodeRole.ACTIVE, NodeRole.PASSIVE_HOT, key);

        PairEvents.healthChanged(events, new PairStates.HealthChanged(pair, HealthDiff.between(healthy, open), open));
        assertThat(receiver.next(10).body()).contains("split-brain-output");
        PairEvents.healthChanged(events, new PairStates.HealthChanged(pair, HealthDiff.between(open, closedButKeyChanged), closedButKeyChanged));
        PairEvents.healthChanged(events, new PairStates.HealthChanged(pair, HealthDiff.between(closedButKeyChanged, healthy), healthy));

        WebhookReceiver.Call together = receiver.next(15);
        assertThat(together).as("sent within the gap (5 s), not dropped").isNotNull();
        assertThat(together.body()).contains("Recovered: Both outputs are open").contains("KEY CHANGED on b")
                .contains("Recovered: KEY CHANGED on b");
        assertThat(receiver.next(7)).as("all in one send").isNull();
    }

    /**
     * Consoles that share a database follow every pair's judgement but only the one reading a pair sends. One that takes
     * a pair over in the middle of an outage (its reader died) must know since when the outage's findings wait for the
     * grace: they are sent once the grace since the outage's start has passed, not lost and not restarted.
     */
    @Test
    void aConsoleThatTakesAPairOverMidOutageSendsWhatWaitedForTheGraceAndNothingItDidNotRead() throws Exception {
        ClusterView pair = pair();
        configure(pair, url());
        Finding split = new Finding(Severity.CRITICAL, Finding.Kind.SPLIT_BRAIN_OUTPUT, "Both outputs are open", "Twice", List.of(), null);
        Finding lost = new Finding(Severity.CRITICAL, Finding.Kind.NODE_UNREACHABLE, "Cannot read hot-a", "No output", List.of(), "hot-a");
        PairHealth healthy = FailoverGraceTest.health(NodeRole.ACTIVE, NodeRole.PASSIVE_HOT);
        PairHealth open = FailoverGraceTest.health(NodeRole.ACTIVE, NodeRole.ACTIVE, split);
        PairHealth outage = FailoverGraceTest.health(NodeRole.UNREACHABLE, NodeRole.PASSIVE_HOT, lost);
        boolean readElsewhere = false;

        PairEvents.healthChanged(events, new PairStates.HealthChanged(pair, HealthDiff.between(healthy, healthy), healthy, readElsewhere));
        PairEvents.healthChanged(events, new PairStates.HealthChanged(pair, HealthDiff.between(healthy, open), open, readElsewhere));
        PairEvents.healthChanged(events, new PairStates.HealthChanged(pair, HealthDiff.between(open, healthy), healthy, readElsewhere));
        PairEvents.healthChanged(events, new PairStates.HealthChanged(pair, HealthDiff.between(healthy, outage), outage, readElsewhere));

        // The outage began at the judgement's time, long past: this console reads the pair now, so the grace is over.
        WebhookReceiver.Call call = receiver.next(10);
        assertThat(call).as("the outage's finding, sent by the console that reads the pair now").isNotNull();
        assertThat(call.body()).contains("node-unreachable").contains("Cannot read hot-a")
                .as("what the other console read and told is not told again").doesNotContain("split-brain-output");
        assertThat(receiver.next(7)).isNull();
    }

    @Test
    void aFailedSendIsRecordedInWordsAndCounted() throws Exception {
        ClusterView pair = pair();
        int closedPort;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        configure(pair, "http://127.0.0.1:" + closedPort + "/hook");
        double failedBefore = failedSends(pair);

        String operator = users.token(users.create(Role.OPERATOR));
        mvc.perform(post("/api/v1/clusters/" + pair.id() + "/alerts/test").header(HttpHeaders.AUTHORIZATION, "Bearer " + operator))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.outcome").value("FAILURE"))
                .andExpect(jsonPath("$.detail").value("connection refused"));
        assertThat(failedSends(pair)).isEqualTo(failedBefore + 1);
    }

    private double failedSends(ClusterView pair) {
        var counter = meters.find("tandem.alerts.sent").tags("pair", pair.name(), "channel", "webhook", "outcome", "failure").counter();
        return counter == null ? 0 : counter.count();
    }

    private void configure(ClusterView pair, String webhook) throws Exception {
        String admin = users.token(users.create(Role.ADMIN));
        mvc.perform(put("/api/v1/clusters/" + pair.id() + "/alerts").header(HttpHeaders.AUTHORIZATION, "Bearer " + admin)
                        .contentType(MediaType.APPLICATION_JSON).content("{\"webhookUrl\": \"" + webhook + "\"}"))
                .andExpect(status().isOk());
    }

    @Test
    void automationFollowsHealthChangesOnTheEventStream() throws Exception {
        ClusterView pair = pair();
        String viewer = users.token(users.create(Role.VIEWER));
        var stream = mvc.perform(org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get("/api/v1/events")
                        .header(HttpHeaders.AUTHORIZATION, "Bearer " + viewer))
                .andExpect(org.springframework.test.web.servlet.result.MockMvcResultMatchers.request().asyncStarted())
                .andReturn();
        assertThat(stream.getResponse().getContentAsString()).as("a client knows it is subscribed before the first change")
                .startsWith(":subscribed");
        Finding noOutput = new Finding(Severity.CRITICAL, Finding.Kind.NO_OUTPUT, "Both outputs are blocked",
                "All data is lost", List.of(), null);
        PairEvents.healthChanged(events, new PairStates.HealthChanged(pair, new HealthDiff(List.of(noOutput), List.of(), List.of(), List.of()), null));
        String body = stream.getResponse().getContentAsString();
        for (int i = 0; i < 200 && !body.contains("no-output"); i++) { // sent on the stream's own thread
            Thread.sleep(50);
            body = stream.getResponse().getContentAsString();
        }
        assertThat(body).contains("event:health").contains(pair.name()).contains("no-output");
    }

    private ClusterView pair() {
        return fleet.create(new ClusterSpec("alerted-" + UUID.randomUUID(), ClusterMode.HOT, null, null, null, null, null,
                List.of(FleetRulesTest.node("a", "10.3.0.1"), FleetRulesTest.node("b", "10.3.0.2"))));
    }

    private String url() {
        return receiver.url();
    }
}
