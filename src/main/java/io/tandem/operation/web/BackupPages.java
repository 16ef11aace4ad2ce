package io.tandem.operation.web;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;

import io.tandem.fleet.ClusterView;
import io.tandem.fleet.FleetService;
import io.tandem.node.NodeAccessException;
import io.tandem.node.config.BackupInfo;
import io.tandem.node.config.ConfigRefusedException;
import io.tandem.operation.ConfigBackups;

/** Each node's configuration backups, newest first, with the Roll back operation for the node. */
@Controller
class BackupPages {

    private final FleetService fleet;
    private final ConfigBackups backups;

    BackupPages(FleetService fleet, ConfigBackups backups) {
        this.fleet = fleet;
        this.backups = backups;
    }

    /** @param error per node, why its backups could not be listed */
    record NodeBackups(String node, List<BackupInfo> backups, String error) {
    }

    @GetMapping("/clusters/{id}/backups")
    String page(@PathVariable UUID id, Model model) throws Exception {
        ClusterView cluster = fleet.get(id);
        Map<String, NodeBackups> byNode = new LinkedHashMap<>();
        for (ClusterView.NodeView node : cluster.nodes()) {
            try {
                byNode.put(node.name(), new NodeBackups(node.name(), backups.list(id, node.name()), null));
            } catch (NodeAccessException | ConfigRefusedException e) {
                byNode.put(node.name(), new NodeBackups(node.name(), List.of(), e.getMessage()));
            }
        }
        model.addAttribute("cluster", cluster);
        model.addAttribute("nodes", byNode.values());
        return "operation/backups";
    }
}
