package io.tandem.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;

import io.tandem.ConsoleApplication;
import io.tandem.fleet.ClusterView;
import io.tandem.fleet.FleetService;
import io.tandem.identity.Role;
import io.tandem.monitor.NodeRole;
import io.tandem.monitor.NodeState;
import io.tandem.monitor.PairStates;
import io.tandem.monitor.Severity;
import io.tandem.support.DemoFaults;
import io.tandem.support.TestUsers;
import io.tandem.support.WebhookReceiver;
import tools.jackson.databind.json.JsonMapper;

/**
 * The alert sequences of the README's "Alerts" section, on the demo's Hot pair with a real webhook receiver: a
 * crash failover, NFO killed and restarted in place by Pacemaker, a real split brain, and nodes that stay down.
 * The grace is shortened to {@value #GRACE_SECONDS} s so the test need not wait the default 30 s.
 */
@SpringBootTest(classes = ConsoleApplication.class, properties = {"tandem.demo.enabled=true", "tandem.monitor.enabled=true",
        "tandem.alerts.failover-grace=" + FailoverAlertsTest.GRACE_SECONDS + "s"})
@AutoConfigureMockMvc
@Import(TestUsers.class)
class FailoverAlertsTest {

    static final int GRACE_SECONDS = 10;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Autowired
    MockMvc mvc;
    @Autowired
    TestUsers users;
    @Autowired
    FleetService fleet;
    @Autowired
    PairStates states;

    private WebhookReceiver receiver;
    private String operator;
    private ClusterView hot;

    /** One webhook call: the payload's worst severity and its events. */
    record Alert(String severity, List<Map<String, Object>> events) {
    }

    /** The demo pair as settled before a fault: which node sends, which waits. */
    record Settled(String active, String passive) {
    }

    @BeforeEach
    void receive() throws Exception {
        receiver = new WebhookReceiver(WebhookSender.SIGNATURE_HEADER);
        operator = users.token(users.create(Role.OPERATOR));
        hot = DemoFaults.pair(fleet, "demo-hot");
    }

    @AfterEach
    void stop() throws Exception {
        DemoFaults.healAll(mvc, operator);
        receiver.close();
    }

    @Test
    void aCrashFailoverIsOneWarningAndTheCrashedNodesReturnItsRecovery() throws Exception {
        Settled pair = settle();

        DemoFaults.inject(mvc, operator, "demo-hot", pair.active(), "crash-node");

        Alert failover = next(60);
        assertThat(failover.severity()).isEqualTo("WARNING");
        assertThat(failover.events()).hasSize(1);
        assertThat(failover.events().get(0)).containsEntry("kind", "failover").containsEntry("severity", "WARNING")
                .containsEntry("from", pair.active()).containsEntry("to", pair.passive()).containsEntry("reason", "node crash");
        assertThat((String) failover.events().get(0).get("cause")).startsWith(pair.passive() + " took over from " + pair.active());
        assertThat(receiver.next(GRACE_SECONDS + 5)).as("nothing more while the crashed node stays down: no page").isNull();

        DemoFaults.healAll(mvc, operator);

        Alert back = next(120);
        assertThat(back.events()).extracting(e -> e.get("kind"), e -> e.get("node"), e -> e.get("cause"))
                .containsExactly(org.assertj.core.groups.Tuple.tuple("recovered", pair.active(),
                        "Recovered: " + pair.active() + " is back: PASSIVE_HOT"));
    }

    @Test
    void nfoKilledAndRestartedInPlaceIsOneWarning() throws Exception {
        Settled pair = settle();

        DemoFaults.inject(mvc, operator, "demo-hot", pair.active(), "kill-nfo");

        Alert restart = next(60);
        assertThat(restart.severity()).isEqualTo("WARNING");
        assertThat(restart.events()).hasSize(1);
        assertThat(restart.events().get(0)).containsEntry("kind", "failover").containsEntry("from", pair.active())
                .containsEntry("to", pair.active()).containsEntry("reason", "NFO failure");
        assertThat((String) restart.events().get(0).get("cause")).startsWith(pair.active() + " resumed output after NFO failure");
        assertThat(receiver.next(GRACE_SECONDS + 5)).as("the no-output finding of the restart is not told").isNull();
    }

    @Test
    void aRealSplitBrainIsCriticalAtOnceAndRecoversWhenHealed() throws Exception {
        Settled pair = settle();

        DemoFaults.inject(mvc, operator, "demo-hot", pair.passive(), "open-gate");

        Alert split = next(60);
        assertThat(split.severity()).isEqualTo("CRITICAL");
        assertThat(split.events()).extracting(e -> e.get("kind"), e -> e.get("finding"))
                .containsExactly(org.assertj.core.groups.Tuple.tuple("critical", "split-brain-output"));

        DemoFaults.healAll(mvc, operator);

        Alert healed = next(60);
        assertThat(healed.events()).extracting(e -> e.get("kind"), e -> e.get("finding"))
                .containsExactly(org.assertj.core.groups.Tuple.tuple("recovered", "split-brain-output"));
        assertThat((String) healed.events().get(0).get("cause")).startsWith("Recovered: Both outputs open");
    }

    @Test
    void nodesThatStayDownWithoutATakeoverAreCriticalAfterTheGraceAndEveryProblemRecovers() throws Exception {
        Settled pair = settle();

        DemoFaults.inject(mvc, operator, "demo-hot", pair.passive(), "crash-node");
        Alert passiveDown = next(60);
        assertThat(passiveDown.events()).extracting(e -> e.get("kind"), e -> e.get("node"), e -> e.get("to"))
                .containsExactly(org.assertj.core.groups.Tuple.tuple("role-change", pair.passive(), "UNREACHABLE"));

        DemoFaults.inject(mvc, operator, "demo-hot", pair.active(), "crash-node");
        Instant crashed = Instant.now();
        List<Map<String, Object>> outage = collect(Duration.ofSeconds(GRACE_SECONDS + 20), events -> false);
        assertThat(outage).as("the outage is told once the grace has passed, as critical").isNotEmpty()
                .allMatch(e -> "critical".equals(e.get("kind")) && "CRITICAL".equals(e.get("severity")));
        assertThat(Duration.between(crashed, Instant.now())).isGreaterThanOrEqualTo(Duration.ofSeconds(GRACE_SECONDS));

        DemoFaults.healAll(mvc, operator);

        List<Map<String, Object>> after = collect(Duration.ofSeconds(180), events -> recoveredAll(outage, pair, events));
        assertThat(recoveredAll(outage, pair, after)).as("every problem recovered: " + after).isTrue();
        Map<String, Object> failover = after.stream().filter(e -> "failover".equals(e.get("kind"))).findFirst().orElseThrow();
        assertThat(failover).containsEntry("from", pair.active()).containsEntry("reason", "node crash");
        assertThat((String) failover.get("cause")).contains("longer than the " + GRACE_SECONDS + ".0 s grace");
        assertThat(after).noneMatch(e -> "critical".equals(e.get("kind")));
    }

    /** The failover that ends the outage, a recovery for every critical sent, and the passive back. */
    private static boolean recoveredAll(List<Map<String, Object>> criticals, Settled pair, List<Map<String, Object>> events) {
        boolean failover = events.stream().anyMatch(e -> "failover".equals(e.get("kind")));
        boolean passiveBack = events.stream().anyMatch(e -> "recovered".equals(e.get("kind")) && pair.passive().equals(e.get("node"))
                && "node".equals(e.get("finding")));
        boolean findingsBack = criticals.stream().filter(c -> !"outage".equals(c.get("finding")))
                .allMatch(c -> events.stream().anyMatch(e -> "recovered".equals(e.get("kind"))
                        && c.get("finding").equals(e.get("finding")) && java.util.Objects.equals(c.get("node"), e.get("node"))));
        return failover && passiveBack && findingsBack;
    }

    /** The events of every call within {@code window}, or until {@code enough} holds for them. */
    private List<Map<String, Object>> collect(Duration window, Predicate<List<Map<String, Object>>> enough) throws Exception {
        List<Map<String, Object>> events = new ArrayList<>();
        Instant end = Instant.now().plus(window);
        while (Instant.now().isBefore(end) && !enough.test(events)) {
            WebhookReceiver.Call call = receiver.next(1);
            if (call != null) {
                events.addAll(parse(call).events());
            }
        }
        return events;
    }

    /** Waits until one node sends and the other is a ready passive with nothing critical, then points the webhook here. */
    private Settled settle() throws Exception {
        Instant end = Instant.now().plusSeconds(120);
        Optional<Settled> settled = Optional.empty();
        while (settled.isEmpty() && Instant.now().isBefore(end)) {
            settled = states.state(hot.id()).filter(s -> s.worst().map(w -> w != Severity.CRITICAL).orElse(true))
                    .flatMap(s -> {
                        List<NodeState> nodes = s.health().nodes();
                        Optional<String> active = nodes.stream().filter(n -> n.role() == NodeRole.ACTIVE).map(NodeState::node).findFirst();
                        Optional<String> passive = nodes.stream().filter(n -> n.role() == NodeRole.PASSIVE_HOT).map(NodeState::node).findFirst();
                        return active.isPresent() && passive.isPresent() ? Optional.of(new Settled(active.get(), passive.get())) : Optional.empty();
                    });
            if (settled.isEmpty()) {
                Thread.sleep(250);
            }
        }
        assertThat(settled).as("demo-hot settles with one active and one ready passive").isPresent();
        String admin = users.token(users.create(Role.ADMIN));
        mvc.perform(put("/api/v1/clusters/" + hot.id() + "/alerts").header(HttpHeaders.AUTHORIZATION, "Bearer " + admin)
                        .contentType(MediaType.APPLICATION_JSON).content("{\"webhookUrl\": \"" + receiver.url() + "\"}"))
                .andExpect(status().isOk());
        return settled.get();
    }

    private Alert next(long seconds) throws Exception {
        WebhookReceiver.Call call = receiver.next(seconds);
        assertThat(call).as("an alert within " + seconds + " s").isNotNull();
        return parse(call);
    }

    @SuppressWarnings("unchecked")
    private static Alert parse(WebhookReceiver.Call call) {
        Map<String, Object> payload = JSON.readValue(call.body(), Map.class);
        return new Alert((String) payload.get("severity"), (List<Map<String, Object>>) payload.get("events"));
    }
}
