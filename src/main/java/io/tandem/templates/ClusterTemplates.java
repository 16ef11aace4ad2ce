package io.tandem.templates;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;

import io.tandem.access.NodeConnections;
import io.tandem.fleet.ClusterView;
import io.tandem.fleet.FleetService;
import io.tandem.netflow.Parity;
import io.tandem.netflow.ParityReport;
import io.tandem.netflow.TemplateSnapshot;
import io.tandem.node.NodeAccessException;
import io.tandem.node.NodeSnapshot;
import tools.jackson.databind.json.JsonMapper;

/**
 * Both nodes' NetFlow template caches and the parity between them: read from the nodes, kept as the
 * last known state per node, compared active against passive.
 */
@Service
public class ClusterTemplates {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final FleetService fleet;
    private final NodeConnections connections;
    private final JdbcTemplate jdbc;
    private final Clock clock;

    ClusterTemplates(FleetService fleet, NodeConnections connections, JdbcTemplate jdbc, Clock clock) {
        this.fleet = fleet;
        this.connections = connections;
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /**
     * @param templates the last cache the node reported (null when it never reported one)
     * @param error why the node could not be read just now, or null
     * @param outputOpen whether the node was feeding the SIEM when last read (it is the active)
     */
    public record NodeTemplates(String node, Instant observedAt, TemplateSnapshot templates, String error, boolean outputOpen) {
    }

    /**
     * @param active the node compared as active (its output is open), null when that is not clear
     * @param parity the comparison, null when there is no single active node or a cache is missing
     * @param parityUnavailable why there is no comparison
     */
    public record View(UUID clusterId, String cluster, List<NodeTemplates> nodes, String active, ParityReport parity,
                       String parityUnavailable) {
    }

    /**
     * Reads both nodes now, stores what they reported, and compares. Not one transaction: each node is read with no
     * database connection held (a node may take its whole timeout), and each cache is stored on its own.
     */
    public View refresh(UUID clusterId) {
        ClusterView cluster = fleet.get(clusterId);
        List<NodeTemplates> nodes = new ArrayList<>();
        for (ClusterView.NodeView node : cluster.nodes()) {
            nodes.add(read(cluster, node));
        }
        return compare(cluster, nodes);
    }

    private NodeTemplates read(ClusterView cluster, ClusterView.NodeView node) {
        try {
            NodeSnapshot snapshot = connections.snapshot(cluster.id(), node.id());
            boolean open = snapshot.outputOpen();
            if (snapshot.templates() != null) {
                store(node.id(), snapshot.takenAt(), snapshot.templates());
                return new NodeTemplates(node.name(), snapshot.takenAt(), snapshot.templates(), null, open);
            }
            return stored(node, "the node reports no template cache (no packet capture configured)", open);
        } catch (NodeAccessException e) {
            return stored(node, e.reason() + ": " + e.getMessage(), false);
        }
    }

    private NodeTemplates stored(ClusterView.NodeView node, String error, boolean open) {
        List<NodeTemplates> rows = jdbc.query("select observed_at, templates from node_template_cache where node_id = ?",
                (rs, i) -> new NodeTemplates(node.name(), rs.getTimestamp(1).toInstant(),
                        JSON.readValue(rs.getString(2), TemplateSnapshot.class), error, open), node.id());
        return rows.isEmpty() ? new NodeTemplates(node.name(), null, null, error, open) : rows.get(0);
    }

    private void store(UUID nodeId, Instant observedAt, TemplateSnapshot templates) {
        jdbc.update("""
                insert into node_template_cache (node_id, observed_at, templates) values (?, ?, ?)
                on conflict (node_id) do update set observed_at = excluded.observed_at, templates = excluded.templates
                """, nodeId, Timestamp.from(observedAt), JSON.writeValueAsString(templates));
    }

    private View compare(ClusterView cluster, List<NodeTemplates> nodes) {
        List<NodeTemplates> open = nodes.stream().filter(NodeTemplates::outputOpen).toList();
        if (open.size() != 1) {
            return new View(cluster.id(), cluster.name(), nodes, null, null, open.isEmpty()
                    ? "No node has its output open, so there is no active node to compare against."
                    : "Both nodes have their output open; parity needs one active node.");
        }
        NodeTemplates active = open.get(0);
        Optional<NodeTemplates> passive = nodes.stream().filter(n -> n != active).findFirst();
        if (active.templates() == null || passive.isEmpty() || passive.get().templates() == null) {
            return new View(cluster.id(), cluster.name(), nodes, active.node(), null,
                    "A node has not reported a template cache yet.");
        }
        return new View(cluster.id(), cluster.name(), nodes, active.node(),
                Parity.compare(active.templates(), passive.get().templates(), clock.millis()), null);
    }
}
