package io.tandem.monitor.api;

import java.util.List;
import java.util.UUID;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.tandem.console.Rejected;
import io.tandem.fleet.FleetService;
import io.tandem.monitor.ConfigDrift;
import io.tandem.node.NodeAccessException;
import io.tandem.node.config.ConfigRefusedException;
import io.tandem.node.config.TextDiff;

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

    /**
     * @param diff in order, {@code row} entries (a line on the left, the right or both) and {@code fold} entries
     *        (that many unchanged lines left out); empty unless the verdict is TEXT_DIFFERS
     */
    record FileDiff(String path, ConfigDrift.Side first, ConfigDrift.Side second, ConfigDrift.Verdict verdict,
            boolean ignored, boolean exact, List<DiffPart> diff) {
    }

    /** {@code type} is {@code row} or {@code fold}; {@code change} is SAME, CHANGED, ONLY_LEFT or ONLY_RIGHT. */
    record DiffPart(String type, TextDiff.Change change, Integer leftLine, String left, Integer rightLine, String right,
            Integer lines) {
        static DiffPart of(TextDiff.Part part) {
            if (part instanceof TextDiff.Row r) {
                return new DiffPart("row", r.change(), r.leftLine(), r.left(), r.rightLine(), r.right(), null);
            }
            return new DiffPart("fold", null, null, null, null, null, ((TextDiff.Fold) part).lines());
        }
    }

    @GetMapping("/api/v1/clusters/{id}/drift/{*path}")
    @Operation(summary = "One configuration file on both nodes: sizes, modes and SHA-256, and a side-by-side diff for text "
            + "(OPERATOR: file contents may hold secrets). The path is relative to the NFO home, e.g. server/etc/server.cfg")
    FileDiff file(@PathVariable UUID id, @PathVariable String path) throws NodeAccessException, ConfigRefusedException {
        String relative = path.startsWith("/") ? path.substring(1) : path;
        if (relative.isEmpty()) {
            throw Rejected.invalid("invalid-path", "path", "Name a file relative to the NFO home, e.g. server/etc/server.cfg.");
        }
        ConfigDrift.FileDrift file = drift.file(fleet.get(id), relative);
        List<DiffPart> parts = file.diff() == null ? List.of() : file.diff().parts().stream().map(DiffPart::of).toList();
        return new FileDiff(file.path(), file.first(), file.second(), file.verdict(), file.ignored(),
                file.diff() == null || file.diff().exact(), parts);
    }
}
