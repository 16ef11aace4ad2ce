package io.tandem.agent;

import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tandem.node.NodeAccessException;
import io.tandem.node.NodeSnapshot;
import io.tandem.node.SnapshotCollector;

/**
 * Reads the node every watch interval (agent.yml {@code events.watch-millis}, 500 ms by default) and publishes an event for each part that changed (service, gate,
 * Pacemaker, constraints, DRBD, templates), so a console subscribed to the stream re-reads the node
 * at once instead of at its next poll.
 */
final class ChangeWatcher implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ChangeWatcher.class);

    private final SnapshotCollector collector;
    private final AgentEvents events;
    private final ScheduledExecutorService scheduler;
    private final Map<String, Object> last = new HashMap<>();

    ChangeWatcher(SnapshotCollector collector, AgentEvents events, Duration interval) {
        this.collector = collector;
        this.events = events;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "agent-change-watcher");
            thread.setDaemon(true);
            return thread;
        });
        scheduler.scheduleWithFixedDelay(this::look, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    void look() {
        Map<String, Object> now;
        try {
            now = digest(collector.collect());
        } catch (NodeAccessException e) {
            now = Map.of("node", e.reason());
        } catch (RuntimeException e) {
            log.debug("change watch failed: {}", e.toString());
            return;
        }
        for (Map.Entry<String, Object> part : now.entrySet()) {
            Object before = last.put(part.getKey(), part.getValue());
            if (before != null && !Objects.equals(before, part.getValue())) {
                events.publish(part.getKey() + ".changed", Map.of("part", part.getKey(), "now", String.valueOf(part.getValue())));
            }
        }
    }

    /**
     * What counts as a change, per part: states and structure, not counters that move all the time
     * (gate byte counts, uptime, crm_mon's own timestamps).
     */
    static Map<String, Object> digest(NodeSnapshot snapshot) {
        Map<String, Object> parts = new LinkedHashMap<>();
        parts.put("node", "reachable");
        parts.put("service", snapshot.service() == null ? "unknown"
                : snapshot.service().state() + "/" + snapshot.service().subState() + "/" + snapshot.service().mainPid());
        parts.put("gate", snapshot.gate() == null ? "unknown" : snapshot.gate().status() + "/" + snapshot.gate().rules().size());
        parts.put("pacemaker", snapshot.crmMon() == null ? "unknown"
                : snapshot.crmMon().text().replaceAll("(last_update|last_change|last-rc-change|last-run|time)=\"[^\"]*\"", "").hashCode());
        parts.put("constraints", snapshot.constraints() == null ? "unknown" : snapshot.constraints().text().hashCode());
        parts.put("drbd", snapshot.drbd() == null ? "none"
                : snapshot.drbd().text().replaceAll("\"(received|sent|read|written|al-writes|bm-writes|upper-pending|lower-pending)\":\\s*\\d+", "").hashCode());
        parts.put("templates", snapshot.templates() == null ? "none" : snapshot.templates().templates().stream()
                .map(t -> t.key() + ":" + t.definition().hash()).sorted().toList().hashCode());
        return parts;
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
