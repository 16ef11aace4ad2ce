package io.tandem.agent.api;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import io.tandem.agent.AgentConfig;
import io.tandem.agent.NodeBackends;
import io.tandem.agent.wire.AgentProtocol;
import io.tandem.node.NodeAccessException;
import io.tandem.node.NodeOperations;
import io.tandem.node.ServiceControl;
import io.tandem.pacemaker.ClusterCommand;
import io.tandem.pacemaker.ClusterInventory;
import io.tandem.pacemaker.CommandRejectedException;

/**
 * The node's service and allow-listed pcs commands. A pcs command is a verb and names, checked
 * against what the cluster really has, turned into an argument vector: never a command string.
 */
@RestController
class OperationsApi {

    /** {@code pcs resource move --wait} waits for the cluster; a restart may take a while too. */
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(15);

    record PcsRequest(String verb, String resource, String node) {
    }

    private final NodeBackends backends;
    private final AgentConfig config;

    OperationsApi(NodeBackends backends, AgentConfig config) {
        this.backends = backends;
        this.config = config;
    }

    @PostMapping(AgentProtocol.SERVICE + "/{action}")
    ResponseEntity<?> service(@PathVariable String action) throws NodeAccessException {
        NodeOperations.ServiceAction parsed = switch (action) {
            case "start" -> NodeOperations.ServiceAction.START;
            case "stop" -> NodeOperations.ServiceAction.STOP;
            case "restart" -> NodeOperations.ServiceAction.RESTART;
            default -> null;
        };
        if (parsed == null) {
            return problem(HttpStatus.BAD_REQUEST, "unknown-action", "The service actions are start, stop and restart, not '"
                    + action + "'.", null);
        }
        return ResponseEntity.ok(NodeOperations.service(backends.tools(), ServiceControl.systemd(config.nfo().serviceUnit()),
                parsed, COMMAND_TIMEOUT));
    }

    /** Tandem's own hold of the gate during a switchover; the body is validated as it is read (400 otherwise). */
    @PostMapping(AgentProtocol.GATE)
    ResponseEntity<?> gate(@RequestBody io.tandem.node.GateChange change) throws NodeAccessException {
        if (change == null) {
            return problem(HttpStatus.BAD_REQUEST, "invalid-gate-change", "Send {\"open\": true} or {\"open\": false, "
                    + "\"destinations\": [...]}, with \"holdUntil\" (an instant) for a handover's hold.", null);
        }
        return ResponseEntity.ok(NodeOperations.gate(backends.tools(), change, READ_TIMEOUT));
    }

    @PostMapping(AgentProtocol.PCS)
    ResponseEntity<?> pcs(@RequestBody PcsRequest request) throws NodeAccessException {
        if (request == null) {
            return problem(HttpStatus.BAD_REQUEST, "command-rejected", "Send {\"verb\", \"resource\", \"node\"}.", null);
        }
        try {
            ClusterInventory inventory = NodeOperations.inventory(backends.tools(), READ_TIMEOUT);
            ClusterCommand command = ClusterCommand.parse(request.verb(), request.resource(), request.node(), inventory);
            return ResponseEntity.ok(NodeOperations.Outcome.of(command.argv(), backends.tools().run(command.argv(), COMMAND_TIMEOUT)));
        } catch (NodeOperations.ClusterUnavailable e) {
            return e.running() ? problem(HttpStatus.BAD_GATEWAY, "cluster-unreadable", e.getMessage(), null)
                    : problem(HttpStatus.CONFLICT, "cluster-not-running", e.getMessage(), null);
        } catch (CommandRejectedException e) {
            return problem(HttpStatus.BAD_REQUEST, "command-rejected", e.getMessage(), e.reason().name());
        }
    }

    /** A preview of a pcs command on a copy of the CIB in a temporary file the agent owns; the cluster is untouched. */
    @PostMapping(AgentProtocol.PCS_SIMULATIONS)
    ResponseEntity<?> simulate(@RequestBody PcsRequest request) throws NodeAccessException {
        if (request == null) {
            return problem(HttpStatus.BAD_REQUEST, "command-rejected", "Send {\"verb\", \"resource\", \"node\"}.", null);
        }
        java.nio.file.Path copy = null;
        try {
            ClusterInventory inventory = NodeOperations.inventory(backends.tools(), READ_TIMEOUT);
            ClusterCommand command = ClusterCommand.parse(request.verb(), request.resource(), request.node(), inventory);
            copy = java.nio.file.Files.createTempFile("tandem-cib-", ".xml");
            return ResponseEntity.ok(NodeOperations.simulate(backends.tools(), command, copy.toString(), READ_TIMEOUT));
        } catch (NodeOperations.ClusterUnavailable e) {
            return e.running() ? problem(HttpStatus.BAD_GATEWAY, "cluster-unreadable", e.getMessage(), null)
                    : problem(HttpStatus.CONFLICT, "cluster-not-running", e.getMessage(), null);
        } catch (CommandRejectedException e) {
            return problem(HttpStatus.BAD_REQUEST, "command-rejected", e.getMessage(), e.reason().name());
        } catch (java.io.IOException e) {
            return problem(HttpStatus.INTERNAL_SERVER_ERROR, "no-temporary-file", "The agent could not create a temporary "
                    + "file for the CIB copy: " + e.getMessage(), null);
        } finally {
            if (copy != null) {
                try {
                    java.nio.file.Files.deleteIfExists(copy);
                } catch (java.io.IOException ignored) {
                    // a leftover temporary copy is harmless; the OS tmp cleaner removes it
                }
            }
        }
    }

    @ExceptionHandler(NodeAccessException.class)
    ResponseEntity<ProblemDetail> unreadable(NodeAccessException e) {
        return problem(HttpStatus.BAD_GATEWAY, AgentProtocol.NODE_UNREADABLE, e.getMessage(), e.reason());
    }

    private static ResponseEntity<ProblemDetail> problem(HttpStatus status, String slug, String detail, String reason) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(URI.create(AgentProtocol.problemType(slug)));
        if (reason != null) {
            problem.setProperty("reason", reason);
        }
        return ResponseEntity.status(status).body(problem);
    }
}
