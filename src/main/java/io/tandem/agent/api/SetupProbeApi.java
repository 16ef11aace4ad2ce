package io.tandem.agent.api;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import io.tandem.agent.NodeBackends;
import io.tandem.agent.wire.AgentProtocol;
import io.tandem.node.NodeAccessException;
import io.tandem.node.SetupDryRun;
import io.tandem.node.SetupCommand;
import io.tandem.node.SetupProbe;
import io.tandem.node.SetupSteps;

/**
 * What this node has for building a pair (read only), and setup's dry run on files in a temporary directory of the
 * agent's: the console's setup discovery and dry run ask here.
 */
@RestController
class SetupProbeApi {

    private static final Duration TOOL_TIMEOUT = Duration.ofSeconds(10);
    /** pcs starts a Python interpreter for each command: a few seconds each on a small node. */
    private static final Duration DRY_RUN_TIMEOUT = Duration.ofSeconds(30);

    /**
     * {@code pcs cluster setup --wait=120} and {@code pcs cluster start --all --wait=120} wait for the cluster; below
     * the console's agent operation timeout (130 s), so the console hears pcs's own answer rather than its own timeout.
     */
    private static final Duration STEP_TIMEOUT = Duration.ofSeconds(125);

    private final NodeBackends backends;
    private final io.tandem.agent.AgentConfig config;

    SetupProbeApi(NodeBackends backends, io.tandem.agent.AgentConfig config) {
        this.backends = backends;
        this.config = config;
    }

    @PostMapping(AgentProtocol.SETUP_PROBE)
    ResponseEntity<?> probe(@RequestBody(required = false) SetupProbe.Request request) throws NodeAccessException {
        if (request == null) {
            ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
                    "Send {\"peerName\", \"peerAddress\", \"tcpOutputs\", \"drbdDevice\"}.");
            problem.setType(URI.create(AgentProtocol.problemType("invalid-probe")));
            return ResponseEntity.badRequest().body(problem);
        }
        return ResponseEntity.ok(new SetupProbe(backends.tools(), backends.files(), TOOL_TIMEOUT).probe(request));
    }

    /** Writes only in a temporary directory it removes afterwards; {@link SetupDryRun.Request} refuses other pcs verbs. */
    @PostMapping(AgentProtocol.SETUP_DRY_RUN)
    ResponseEntity<?> dryRun(@RequestBody(required = false) SetupDryRun.Request request) throws NodeAccessException {
        if (request == null) {
            ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
                    "Send {\"nodes\", \"cibChanges\", \"drbdConfig\"}.");
            problem.setType(URI.create(AgentProtocol.problemType("invalid-dry-run")));
            return ResponseEntity.badRequest().body(problem);
        }
        java.nio.file.Path dir = null;
        try {
            dir = java.nio.file.Files.createTempDirectory("tandem-setup-");
            return ResponseEntity.ok(SetupDryRun.run(backends.tools(), SetupDryRun.Scratch.local(dir), request, DRY_RUN_TIMEOUT));
        } catch (java.io.IOException e) {
            ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.INTERNAL_SERVER_ERROR,
                    "The agent could not create a temporary directory for the dry run: " + e.getMessage());
            problem.setType(URI.create(AgentProtocol.problemType("no-temporary-file")));
            return ResponseEntity.internalServerError().body(problem);
        } finally {
            deleteQuietly(dir);
        }
    }

    /**
     * One step of setup's apply, undo or dismantle. The body is a typed {@link SetupCommand} whose values are checked as
     * it is read (400 otherwise, with Spring's own words: the body, which may hold the hacluster password, is never
     * echoed); NFO's unit is this agent's configured one.
     */
    @PostMapping(AgentProtocol.SETUP_STEPS)
    ResponseEntity<?> step(@RequestBody(required = false) SetupCommand command) throws NodeAccessException {
        if (command == null) {
            ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, "Send one setup command.");
            problem.setType(URI.create(AgentProtocol.problemType("invalid-setup-command")));
            return ResponseEntity.badRequest().body(problem);
        }
        return ResponseEntity.ok(SetupSteps.run(backends.tools(), this::install,
                new SetupSteps.Node(config.nfo().serviceUnit()), command, STEP_TIMEOUT));
    }

    /** The file goes through a private temporary file, so {@code install} (with sudo where configured) writes it as root. */
    private io.tandem.node.CommandResult install(byte[] content, String mode, String path, Duration timeout) throws NodeAccessException {
        java.nio.file.Path dir = null;
        try {
            dir = java.nio.file.Files.createTempDirectory("tandem-install-");
            java.nio.file.Path file = java.nio.file.Files.write(dir.resolve("content"), content);
            return backends.tools().run(List.of("install", "-D", "-m", mode, file.toString(), path), timeout);
        } catch (java.io.IOException e) {
            throw new NodeAccessException.PermissionDenied("cannot write a temporary file for " + path + ": " + e.getMessage(), e);
        } finally {
            deleteQuietly(dir);
        }
    }

    private static void deleteQuietly(java.nio.file.Path dir) {
        if (dir == null) {
            return;
        }
        try (var files = java.nio.file.Files.walk(dir)) {
            for (java.nio.file.Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                java.nio.file.Files.deleteIfExists(f);
            }
        } catch (java.io.IOException ignored) {
            // a leftover temporary directory is harmless; the OS tmp cleaner removes it
        }
    }
}
