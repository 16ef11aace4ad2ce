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
import io.tandem.node.CommandResult;
import io.tandem.node.NodeAccessException;
import io.tandem.node.ServiceControl;
import io.tandem.pacemaker.ClusterCommand;
import io.tandem.pacemaker.ClusterInventory;
import io.tandem.pacemaker.CommandRejectedException;
import io.tandem.pacemaker.CrmMonParser;
import io.tandem.pacemaker.CrmMonResult;
import io.tandem.pacemaker.PacemakerParseException;

/**
 * The node's service and allow-listed pcs commands. A pcs command is a verb and names, checked
 * against what the cluster really has, turned into an argument vector: never a command string.
 */
@RestController
class OperationsApi {

    /** {@code pcs resource move --wait} waits for the cluster; a restart may take a while too. */
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(15);
    private static final List<String> CRM_MON = List.of("crm_mon", "--one-shot", "--output-as=xml");

    record PcsRequest(String verb, String resource, String node) {
    }

    /** What the command printed and how it ended; a non-zero exit is the caller's to judge. */
    record Outcome(List<String> argv, int exitCode, String stdout, String stderr) {
        static Outcome of(List<String> argv, CommandResult result) {
            return new Outcome(argv, result.exitCode(), result.stdout(), result.stderr());
        }
    }

    private final NodeBackends backends;
    private final AgentConfig config;

    OperationsApi(NodeBackends backends, AgentConfig config) {
        this.backends = backends;
        this.config = config;
    }

    @PostMapping(AgentProtocol.SERVICE + "/{action}")
    ResponseEntity<?> service(@PathVariable String action) throws NodeAccessException {
        ServiceControl control = ServiceControl.systemd(config.nfo().serviceUnit());
        List<List<String>> commands = switch (action) {
            case "start" -> List.of(control.startCommand());
            case "stop" -> List.of(control.stopCommand());
            case "restart" -> control.restartCommands();
            default -> null;
        };
        if (commands == null) {
            return problem(HttpStatus.BAD_REQUEST, "unknown-action", "The service actions are start, stop and restart, not '"
                    + action + "'.", null);
        }
        Outcome last = null;
        for (List<String> argv : commands) {
            last = Outcome.of(argv, backends.tools().run(argv, COMMAND_TIMEOUT));
            if (last.exitCode() != 0) {
                break;
            }
        }
        return ResponseEntity.ok(last);
    }

    @PostMapping(AgentProtocol.PCS)
    ResponseEntity<?> pcs(@RequestBody PcsRequest request) throws NodeAccessException {
        if (request == null) {
            return problem(HttpStatus.BAD_REQUEST, "command-rejected", "Send {\"verb\", \"resource\", \"node\"}.", null);
        }
        ClusterInventory inventory;
        try {
            CrmMonResult status = CrmMonParser.parse(backends.tools().run(CRM_MON, READ_TIMEOUT).stdout());
            if (!(status instanceof CrmMonResult.Running running) || running.status().isEmpty()) {
                return problem(HttpStatus.CONFLICT, "cluster-not-running", "Pacemaker is not running on this node: " + status, null);
            }
            inventory = ClusterInventory.of(running.status().get());
        } catch (PacemakerParseException e) {
            return problem(HttpStatus.BAD_GATEWAY, "cluster-unreadable", "crm_mon printed nothing readable: " + e.getMessage(), null);
        }
        ClusterCommand command;
        try {
            command = ClusterCommand.parse(request.verb(), request.resource(), request.node(), inventory);
        } catch (CommandRejectedException e) {
            return problem(HttpStatus.BAD_REQUEST, "command-rejected", e.getMessage(), e.reason().name());
        }
        return ResponseEntity.ok(Outcome.of(command.argv(), backends.tools().run(command.argv(), COMMAND_TIMEOUT)));
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
