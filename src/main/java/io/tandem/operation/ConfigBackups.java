package io.tandem.operation;

import java.util.List;
import java.util.UUID;

import org.springframework.stereotype.Component;

import io.tandem.access.NodeConnections;
import io.tandem.console.Rejected;
import io.tandem.fleet.ClusterView;
import io.tandem.fleet.FleetService;
import io.tandem.node.config.BackupInfo;

/** A node's configuration backups as the node lists them (newest first): what Roll back would restore. */
@Component
public class ConfigBackups {

    private final FleetService fleet;
    private final NodeConnections connections;

    ConfigBackups(FleetService fleet, NodeConnections connections) {
        this.fleet = fleet;
        this.connections = connections;
    }

    /** Read from the node now (outside any transaction); a node that cannot answer throws its access failure. */
    public List<BackupInfo> list(UUID clusterId, String nodeName) throws Exception {
        ClusterView cluster = fleet.get(clusterId);
        ClusterView.NodeView node = cluster.nodes().stream().filter(n -> n.name().equals(nodeName)).findFirst()
                .orElseThrow(() -> Rejected.invalid("unknown-node", "node", "'" + nodeName + "' is not a node of "
                        + cluster.name() + "."));
        return connections.call(cluster.id(), node.id(), (access, target) -> access.backups(target));
    }
}
