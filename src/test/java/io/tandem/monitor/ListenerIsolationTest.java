package io.tandem.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.request;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.context.annotation.Import;

import io.tandem.fleet.ClusterMode;
import io.tandem.fleet.ClusterSpec;
import io.tandem.fleet.ClusterView;
import io.tandem.fleet.FleetRulesTest;
import io.tandem.fleet.FleetService;
import io.tandem.identity.Role;
import io.tandem.node.GateStatus;
import io.tandem.support.ConsoleTest;
import io.tandem.support.TestUsers;
import io.tandem.support.WebhookReceiver;

/**
 * Presenting never changes what is judged: with a listener that throws at every call (told first), a pair's roles,
 * findings, history and alerts are what they would be without it, and the open page still gets its pushes — with
 * the panel that links to the drift comparison, whose drawing once failed off-request and marked both nodes
 * UNREACHABLE.
 */
@ConsoleTest
@Import(ListenerIsolationTest.Throwing.class)
class ListenerIsolationTest {

    /** Not a scanned configuration: only this test's context (through {@code @Import}) has the throwing listener. */
    static class Throwing {
        static final AtomicInteger CALLS = new AtomicInteger();

        @Bean
        @Order(Ordered.HIGHEST_PRECEDENCE)
        PairListener throwingListener() {
            return new PairListener() {
                @Override
                public void observed(UUID clusterId) {
                    CALLS.incrementAndGet();
                    throw new IllegalStateException("a view that cannot be drawn");
                }

                @Override
                public void healthChanged(PairStates.HealthChanged change) {
                    CALLS.incrementAndGet();
                    throw new IllegalStateException("a listener that fails on every change");
                }
            };
        }
    }

    @Autowired
    MockMvc mvc;
    @Autowired
    TestUsers users;
    @Autowired
    FleetService fleet;
    @Autowired
    PairStates states;
    @Autowired
    MonitorHistory history;
    @Autowired
    JdbcTemplate jdbc;

    @Test
    void aThrowingListenerChangesNoRoleFindingHistoryRowOrAlert() throws Exception {
        ClusterView pair = fleet.create(new ClusterSpec("isolated-" + UUID.randomUUID().toString().substring(0, 8), ClusterMode.HOT,
                null, null, null, null, null, List.of(FleetRulesTest.node("nfo-a", "10.6.0.1"), FleetRulesTest.node("nfo-b", "10.6.0.2"))));
        String admin = users.token(users.create(Role.ADMIN));
        MockHttpSession viewer = TestUsers.login(mvc, users.create(Role.VIEWER));
        try (WebhookReceiver receiver = new WebhookReceiver("X-Tandem-Signature")) {
            mvc.perform(put("/api/v1/clusters/" + pair.id() + "/alerts").header(HttpHeaders.AUTHORIZATION, "Bearer " + admin)
                            .contentType(MediaType.APPLICATION_JSON).content("{\"webhookUrl\": \"" + receiver.url() + "\"}"))
                    .andExpect(status().isOk());

            observe(pair, GateStatus.BLOCKED);
            assertThat(roles(pair)).containsExactly(NodeRole.ACTIVE, NodeRole.PASSIVE_HOT);
            MockHttpServletResponse stream = mvc.perform(get("/clusters/" + pair.id() + "/events").session(viewer))
                    .andExpect(request().asyncStarted()).andReturn().getResponse();

            observe(pair, GateStatus.OPEN); // the passive opens its output: both nodes feed the SIEM
            assertThat(roles(pair)).as("read and judged to the end").containsExactly(NodeRole.ACTIVE, NodeRole.ACTIVE);
            assertThat(kinds(pair)).contains(Finding.Kind.SPLIT_BRAIN_OUTPUT).doesNotContain(Finding.Kind.NODE_UNREACHABLE);
            assertThat(Throwing.CALLS.get()).as("the listener was told, and threw").isPositive();

            String alert = awaitAlert(receiver, "split-brain-output");
            assertThat(alert).contains("\"severity\":\"CRITICAL\"");
            assertThat(history.awaitWritten(Duration.ofSeconds(10))).isTrue();
            assertThat(jdbc.queryForObject("select count(*) from monitor_event where cluster_id = ? and kind = 'RAISED' and subject = ?",
                    Integer.class, pair.id(), "split-brain-output")).isEqualTo(1);
            assertThat(awaitPush(stream, "data-finding=\"split-brain-output\"")).doesNotContain("could not be drawn");

            // the panel with the drift link, drawn off-request on the push thread
            states.drifted(pair, List.of("server/etc/server.cfg"));
            String drift = awaitPush(stream, "href=\"/clusters/" + pair.id() + "/drift\"");
            assertThat(drift).contains("data-finding=\"config-drift\"").doesNotContain("could not be drawn");
            assertThat(kinds(pair)).doesNotContain(Finding.Kind.NODE_UNREACHABLE);
        }
    }

    private List<NodeRole> roles(ClusterView pair) {
        return states.state(pair.id()).orElseThrow().health().nodes().stream().map(NodeState::role).toList();
    }

    private List<Finding.Kind> kinds(ClusterView pair) {
        return states.state(pair.id()).orElseThrow().health().findings().stream().map(Finding::kind).toList();
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

    private static String awaitAlert(WebhookReceiver receiver, String expected) throws Exception {
        for (int i = 0; i < 8; i++) {
            WebhookReceiver.Call call = receiver.next(10);
            if (call != null && call.body().contains(expected)) {
                return call.body();
            }
        }
        throw new AssertionError("no alert about " + expected);
    }

    /** The stream's content grows as the server pushes; returns the last health event once it holds the text. */
    private static String awaitPush(MockHttpServletResponse stream, String expected) throws Exception {
        long deadline = System.nanoTime() + 20_000_000_000L;
        String body = stream.getContentAsString();
        while (!body.contains(expected) && System.nanoTime() < deadline) {
            Thread.sleep(50);
            body = stream.getContentAsString();
        }
        assertThat(body).contains(expected);
        return body.substring(body.lastIndexOf("event:health"));
    }
}
