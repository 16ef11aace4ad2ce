package io.tandem.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;

import io.tandem.ConsoleApplication;
import io.tandem.datastore.EmbeddedDatabase;
import io.tandem.demo.DemoLab;
import io.tandem.fleet.ClusterView;
import io.tandem.fleet.FleetService;
import io.tandem.support.DemoFaults;
import io.tandem.support.WebhookReceiver;

/**
 * While the database does not answer (its server stopped with SIGSTOP), the monitor keeps reading the nodes and
 * judging from memory: a split brain injected meanwhile is seen, no node is called unreachable for the database's
 * fault, the pair's alerts still go to its webhook (a later one not queued behind the records of the earlier), the history that could not be written is reported as waiting, and
 * is written with its true time later, with a GAP row that says it was written late.
 */
@SpringBootTest(classes = ConsoleApplication.class, properties = {"tandem.demo.enabled=true", "tandem.monitor.enabled=true",
        "spring.datasource.hikari.pool-name=monitor-without-database", "tandem.alerts.allow-local-targets=true"})
class MonitorWithoutDatabaseTest {

    @Autowired
    EmbeddedDatabase database;
    @Autowired
    FleetService fleet;
    @Autowired
    PairStates states;
    @Autowired
    MonitorHistory history;
    @Autowired
    DemoLab demo;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    io.tandem.alerts.Alerting alerting;

    @Test
    void theMonitorJudgesFromMemoryAndWritesTheHistoryWhenTheDatabaseAnswersAgain() throws Exception {
        ClusterView hot = DemoFaults.pair(fleet, "demo-hot");
        await(hot, health -> roles(health).contains(NodeRole.PASSIVE_HOT) && health.findings().isEmpty(), Duration.ofSeconds(90));
        String passive = states.state(hot.id()).orElseThrow().health().nodes().stream()
                .filter(n -> n.role() == NodeRole.PASSIVE_HOT).findFirst().orElseThrow().node();

        WebhookReceiver receiver = new WebhookReceiver("X-Tandem-Signature");
        alerting.configure(hot.id(), receiver.url(), null, true);
        while (receiver.next(0) != null) {
            // whatever the pair said before the database stops is not what this test is about
        }

        List<Long> stopped = stopDatabase();
        Instant stoppedAt = Instant.now();
        Instant injected;
        try {
            Thread.sleep(2000); // let reads and lookups meet the stalled server first
            injected = Instant.now();
            demo.inject("demo-hot", passive, "open-gate");
            PairHealth split = await(hot, health -> kinds(health).contains(Finding.Kind.SPLIT_BRAIN_OUTPUT), Duration.ofSeconds(45));
            assertThat(roles(split)).as("both nodes read while the database is away").containsExactly(NodeRole.ACTIVE, NodeRole.ACTIVE);
            assertThat(kinds(split)).doesNotContain(Finding.Kind.NODE_UNREACHABLE);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (history.backlog().isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            assertThat(history.backlog()).as("the history that waits is reported").hasValueSatisfying(backlog ->
                    assertThat(backlog.waiting()).isPositive());
            WebhookReceiver.Call alert = receiver.next(30);
            assertThat(alert).as("the split brain is alerted while the database is away").isNotNull();
            assertThat(alert.body()).contains("split-brain-output");

            Thread.sleep(8000); // the send record waits for the database; later sends must not wait behind its tries
            demo.inject("demo-hot", passive, "block-gate");
            assertThat(nextContaining(receiver, "\"recovered\"", Duration.ofSeconds(20)))
                    .as("the recovery is alerted too, while the database is still away").isNotNull();
        } finally {
            signal("CONT", stopped);
            demo.heal();
            receiver.close();
        }
        assertThat(history.awaitWritten(Duration.ofSeconds(90))).isTrue();
        assertThat(history.backlog()).isEmpty();
        java.sql.Timestamp at = jdbc.queryForObject("select min(occurred_at) from monitor_event where cluster_id = ? and kind = 'RAISED' "
                + "and subject = 'split-brain-output' and occurred_at >= ?", java.sql.Timestamp.class, hot.id(), java.sql.Timestamp.from(injected));
        assertThat(at).as("written later, with the time it was seen").isNotNull();
        assertThat(at.toInstant()).isBefore(injected.plusSeconds(45));
        List<java.util.Map<String, Object>> gaps = jdbc.queryForList("select occurred_at, severity, text from monitor_event "
                + "where cluster_id = ? and kind = 'GAP' and occurred_at >= ?", hot.id(), java.sql.Timestamp.from(stoppedAt));
        assertThat(gaps).as("the history says it was written late").hasSize(1);
        assertThat((String) gaps.get(0).get("text")).contains("The database did not answer from", "written late with their own times")
                .doesNotContain("lost");
        assertThat(((java.sql.Timestamp) gaps.get(0).get("occurred_at")).toInstant()).as("the gap begins with the first event not written in time")
                .isBeforeOrEqualTo(at.toInstant());
        assertThat(jdbc.queryForObject("select count(*) from alert_send where cluster_id = ? and sent_at >= ? and outcome = 'SUCCESS'",
                Integer.class, hot.id(), java.sql.Timestamp.from(stoppedAt))).as("the send made while the database was away is recorded")
                .isPositive();
    }

    private static WebhookReceiver.Call nextContaining(WebhookReceiver receiver, String text, Duration limit) throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            WebhookReceiver.Call call = receiver.next(1);
            if (call != null && call.body().contains(text)) {
                return call;
            }
        }
        return null;
    }

    private PairHealth await(ClusterView pair, Predicate<PairHealth> condition, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        PairHealth last = null;
        while (System.nanoTime() < deadline) {
            last = states.state(pair.id()).map(PairStates.PairState::health).orElse(null);
            if (last != null && condition.test(last)) {
                return last;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the monitor never reached the expected state; last: " + last);
    }

    private static List<NodeRole> roles(PairHealth health) {
        return health.nodes().stream().map(NodeState::role).toList();
    }

    private static List<Finding.Kind> kinds(PairHealth health) {
        return health.findings().stream().map(Finding::kind).toList();
    }

    private List<Long> stopDatabase() throws Exception {
        ProcessHandle postmaster = database.postmaster().orElseThrow();
        List<Long> pids = new ArrayList<>(List.of(postmaster.pid()));
        signal("STOP", pids);
        List<Long> backends = postmaster.children().map(ProcessHandle::pid).toList();
        signal("STOP", backends);
        pids.addAll(backends);
        return pids;
    }

    private static void signal(String signal, List<Long> pids) throws Exception {
        List<String> command = new ArrayList<>(List.of("kill", "-" + signal));
        pids.forEach(pid -> command.add(Long.toString(pid)));
        Process kill = new ProcessBuilder(command).inheritIO().start();
        assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
    }
}
