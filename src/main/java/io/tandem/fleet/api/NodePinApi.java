package io.tandem.fleet.api;

import java.util.UUID;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.tandem.access.KeyMismatch;
import io.tandem.access.NodeConnections;
import io.tandem.console.Rejected;
import io.tandem.fleet.ClusterView;
import io.tandem.fleet.FleetService;

/** Pinning a node's key without the browser, for automation (setup scripts, the lab tests). ADMIN. */
@RestController
@Tag(name = "Fleet")
class NodePinApi {

    private final FleetService fleet;
    private final NodeConnections connections;

    NodePinApi(FleetService fleet, NodeConnections connections) {
        this.fleet = fleet;
        this.connections = connections;
    }

    /** The body: an SSH host key as {@code ssh-keygen -l} prints it, or an agent's {@code sha256:...}. */
    record PinRequest(String fingerprint) {
    }

    record Pinned(UUID clusterId, String node, String fingerprint) {
    }

    @PostMapping("/api/v1/clusters/{id}/nodes/{nodeName}/pin")
    @Operation(summary = "Pin the key a node presents now, only when it matches the fingerprint given "
            + "(409 with both fingerprints when not)")
    Pinned pin(@PathVariable UUID id, @PathVariable String nodeName, @RequestBody(required = false) PinRequest body) {
        if (body == null || body.fingerprint() == null || body.fingerprint().isBlank()) {
            throw Rejected.invalid("invalid-fingerprint", "fingerprint",
                    "Give 'fingerprint': the node's key as ssh-keygen -l prints it (SHA256:...) or as 'agent init' prints it (sha256:...).");
        }
        ClusterView.NodeView node = fleet.get(id).nodes().stream().filter(n -> n.name().equals(nodeName)).findFirst()
                .orElseThrow(() -> Rejected.notFound("Node", nodeName));
        connections.pin(id, node.id(), body.fingerprint().strip());
        return new Pinned(id, node.name(), body.fingerprint().strip());
    }

    @ExceptionHandler(KeyMismatch.class)
    ProblemDetail mismatch(KeyMismatch mismatch) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, mismatch.getMessage());
        problem.setType(java.net.URI.create("urn:tandem:problem:key-mismatch"));
        problem.setProperty("presented", mismatch.presented());
        problem.setProperty("confirmed", mismatch.confirmed());
        return problem;
    }
}
