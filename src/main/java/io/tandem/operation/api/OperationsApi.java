package io.tandem.operation.api;

import java.net.URI;
import java.util.List;
import java.util.UUID;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.tandem.console.Rejected;
import io.tandem.fleet.FleetService;
import io.tandem.operation.OperationKind;
import io.tandem.operation.OperationRunner;
import io.tandem.operation.OperationView;
import io.tandem.operation.Preflight;
import io.tandem.setup.SetupForm;

@RestController
@Tag(name = "Operations")
class OperationsApi {

    private final FleetService fleet;
    private final OperationRunner runner;

    OperationsApi(FleetService fleet, OperationRunner runner) {
        this.fleet = fleet;
        this.runner = runner;
    }

    /**
     * @param confirm the preflight's {@code confirmPhrase}: the node's name, or the pair's name for a failover
     * @param files COPY_CONFIG only: copy just these paths (relative to the NFO home, from the preflight's
     *        {@code copy.changes}); left out, every changed file is copied
     * @param setup SETUP and UNDO_SETUP: the setup form (as for {@code /setup/plan}); its hacluster password is used for
     *        {@code pcs host auth} only, in memory, and never echoed, journaled or audited
     * @param confirmDataLoss SETUP of a Cold pair: the phrase the plan's file-system step asks for
     */
    record StartRequest(OperationKind kind, String node, String confirm, List<String> files, SetupForm setup,
                        String confirmDataLoss) {
        @Override
        public String toString() { // never the form's password (SetupForm's own toString leaves it out)
            return "StartRequest[kind=" + kind + ", node=" + node + ", setup=" + setup + "]";
        }
    }

    @GetMapping("/api/v1/clusters/{id}/operations/preflight")
    @Operation(summary = "What an operation would check and run now (nothing runs): RESTART_NFO, COPY_CONFIG (to the "
            + "named passive; on a Hot pair also 'copy': the files it would write, each with its diff, how many are identical, "
            + "what it leaves alone and the restart of the target), FAILOVER (to the named passive) or DRILL (on the named "
            + "active: the output to its peer and back, on a healthy pair only); for a Pacemaker control (CLEAR_CONSTRAINTS, CLEANUP_RESOURCE "
            + "and RESOURCE_ENABLE/DISABLE on a resource, NODE_STANDBY/UNSTANDBY on a node, MAINTENANCE_ON/OFF on the pair) "
            + "also 'simulation': what crm_simulate says Pacemaker would do, on a copy of the live CIB")
    Preflight preflight(@PathVariable UUID id, @RequestParam OperationKind kind, @RequestParam(defaultValue = "") String node) {
        return runner.preflight(id, kind, node);
    }

    @PostMapping("/api/v1/clusters/{id}/operations")
    @Operation(summary = "Start an operation when its preflight passes and 'confirm' is its confirmPhrase; 202 with the "
            + "operation to follow (409 preflight-failed or operation-running, 400 confirmation-required, 403 role-required: "
            + "MAINTENANCE_ON and RESOURCE_DISABLE need ADMIN). DRILL (node: the active, confirm: the pair's name; OPERATOR) "
            + "hands the output to the passive and back (Hot: two switchovers, Cold: two failovers), clears the move's "
            + "constraint whatever failed, and sums up each leg's measured gap and handover time. COPY_CONFIG takes 'files' to copy only those (400 "
            + "file-outside-configuration or file-not-copied naming the path). SETUP (node: the form's activeNode, confirm: the "
            + "pair's name, 'setup': the setup form, 'confirmDataLoss' for Cold) builds the pair step by step (ADMIN; 409 "
            + "cluster-exists when a node already belongs to a cluster: adopt it instead); UNDO_SETUP (same body) reverts the "
            + "steps the last setup ran, newest first; DISMANTLE (node: where NFO keeps running) removes the cluster and the "
            + "gate agent and leaves NFO standalone with its output open")
    ResponseEntity<OperationView> start(@PathVariable UUID id, @RequestBody StartRequest request,
                                        org.springframework.security.core.Authentication user) {
        if (request == null || request.kind() == null || request.node() == null
                || request.node().isBlank() && request.kind().subject() != OperationKind.Subject.PAIR) {
            throw Rejected.invalid("invalid-operation", "kind", "Give 'kind' (" + java.util.Arrays.stream(OperationKind.values())
                    .map(Enum::name).collect(java.util.stream.Collectors.joining(", ")) + "), 'node' (for a Pacemaker "
                    + "control: the node, the resource, or the pair's name) and 'confirm'.");
        }
        io.tandem.operation.OperationRoles.require(request.kind(), user);
        if (!request.kind().setup() && (request.setup() != null || request.confirmDataLoss() != null)) {
            throw Rejected.invalid("setup-not-applicable", "setup", "Only SETUP, UNDO_SETUP and DISMANTLE take 'setup'; leave it out.");
        }
        UUID operation = request.kind().setup()
                ? runner.startSetup(id, request.kind(), request.node().strip(), request.confirm(), user.getName(), request.setup(),
                        request.confirmDataLoss())
                : runner.start(id, request.kind(), request.node().strip(), request.confirm(), user.getName(), request.files());
        return ResponseEntity.accepted().location(URI.create("/api/v1/operations/" + operation))
                .body(runner.find(operation).orElseThrow());
    }

    @GetMapping("/api/v1/clusters/{id}/operations")
    @Operation(summary = "The pair's operations, newest first (at most 50), each with its journal of steps")
    List<OperationView> recent(@PathVariable UUID id) {
        fleet.get(id);
        return runner.recent(id, 50);
    }

    @GetMapping("/api/v1/operations/{id}")
    @Operation(summary = "One operation with its steps: status, timing and what each found or did")
    OperationView operation(@PathVariable UUID id) {
        return runner.find(id).orElseThrow(() -> Rejected.notFound("Operation", id));
    }
}
