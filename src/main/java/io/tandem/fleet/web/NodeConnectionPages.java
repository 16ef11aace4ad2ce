package io.tandem.fleet.web;

import java.util.UUID;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;

import io.github.wimdeblauwe.htmx.spring.boot.mvc.HxRequest;
import io.tandem.access.ConnectionReport;
import io.tandem.access.NodeConnections;
import io.tandem.console.Rejected;
import io.tandem.fleet.FleetService;

/**
 * "Test connection" on a node (OPERATOR) and pinning the key it presents (ADMIN). htmx swaps the
 * report into the node's panel; without JavaScript the whole pair page comes back with it.
 */
@Controller
@RequestMapping("/clusters/{clusterId}/nodes/{nodeId}")
class NodeConnectionPages {

    private final NodeConnections connections;
    private final FleetService fleet;

    NodeConnectionPages(NodeConnections connections, FleetService fleet) {
        this.connections = connections;
        this.fleet = fleet;
    }

    @HxRequest
    @PostMapping("/test")
    String testFragment(@PathVariable UUID clusterId, @PathVariable UUID nodeId, Model model) {
        report(model, clusterId, nodeId, connections.test(clusterId, nodeId));
        return "fleet/connection :: report";
    }

    @PostMapping("/test")
    String testPage(@PathVariable UUID clusterId, @PathVariable UUID nodeId, Model model) {
        report(model, clusterId, nodeId, connections.test(clusterId, nodeId));
        model.addAttribute("cluster", fleet.get(clusterId));
        return "fleet/detail";
    }

    @HxRequest
    @PostMapping("/pin")
    String pinFragment(@PathVariable UUID clusterId, @PathVariable UUID nodeId, @RequestParam String fingerprint, Model model) {
        pinAndTest(clusterId, nodeId, fingerprint, model);
        return "fleet/connection :: report";
    }

    @PostMapping("/pin")
    String pinPage(@PathVariable UUID clusterId, @PathVariable UUID nodeId, @RequestParam String fingerprint, Model model) {
        pinAndTest(clusterId, nodeId, fingerprint, model);
        model.addAttribute("cluster", fleet.get(clusterId));
        return "fleet/detail";
    }

    private void pinAndTest(UUID clusterId, UUID nodeId, String fingerprint, Model model) {
        try {
            connections.pin(clusterId, nodeId, fingerprint);
            model.addAttribute("pinned", true);
        } catch (Rejected rejected) {
            if (rejected.kind() == Rejected.Kind.NOT_FOUND) {
                throw rejected;
            }
            model.addAttribute("pinError", rejected.getMessage());
        }
        report(model, clusterId, nodeId, connections.test(clusterId, nodeId));
    }

    private static void report(Model model, UUID clusterId, UUID nodeId, ConnectionReport report) {
        model.addAttribute("report", report);
        model.addAttribute("reportClusterId", clusterId);
        model.addAttribute("reportNodeId", nodeId);
    }
}
