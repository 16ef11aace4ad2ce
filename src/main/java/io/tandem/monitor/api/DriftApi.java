package io.tandem.monitor.api;

import java.util.UUID;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.tandem.console.Rejected;
import io.tandem.fleet.FleetService;
import io.tandem.monitor.ConfigDrift;
import io.tandem.monitor.FileDiffView;
import io.tandem.node.NodeAccessException;
import io.tandem.node.config.ConfigRefusedException;

/** Configuration drift between a pair's nodes, read from the nodes at request time. */
@RestController
@Tag(name = "Monitor")
class DriftApi {

    private final FleetService fleet;
    private final ConfigDrift drift;

    DriftApi(FleetService fleet, ConfigDrift drift) {
        this.fleet = fleet;
        this.drift = drift;
    }

    @GetMapping("/api/v1/clusters/{id}/drift")
    @Operation(summary = "Configuration files that differ between the two nodes now, and those the pair's ignore list hides")
    ConfigDrift.Comparison drift(@PathVariable UUID id) throws NodeAccessException, ConfigRefusedException {
        return drift.compare(fleet.get(id));
    }

    @GetMapping("/api/v1/clusters/{id}/drift/{*path}")
    @Operation(summary = "One configuration file on both nodes: sizes, modes and SHA-256, and a side-by-side diff for text "
            + "(OPERATOR: file contents may hold secrets). The path is relative to the NFO home, e.g. server/etc/server.cfg")
    FileDiffView file(@PathVariable UUID id, @PathVariable String path) throws NodeAccessException, ConfigRefusedException {
        String relative = path.startsWith("/") ? path.substring(1) : path;
        if (relative.isEmpty()) {
            throw Rejected.invalid("invalid-path", "path", "Name a file relative to the NFO home, e.g. server/etc/server.cfg.");
        }
        return FileDiffView.of(drift.file(fleet.get(id), relative));
    }
}
