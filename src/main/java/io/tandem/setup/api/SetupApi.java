package io.tandem.setup.api;

import java.util.UUID;

import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.tandem.setup.AdoptionService;
import io.tandem.setup.Checklist;
import io.tandem.setup.Discovery;
import io.tandem.setup.SetupForm;
import io.tandem.setup.SetupPlan;
import io.tandem.setup.SetupService;

@RestController
@RequestMapping("/api/v1/clusters/{id}/setup")
@Tag(name = "Setup", description = "Guided Hot/Cold setup of a registered pair. ADMIN.")
class SetupApi {

    private final Discovery discovery;
    private final SetupService setup;
    private final AdoptionService adoption;

    SetupApi(Discovery discovery, SetupService setup, AdoptionService adoption) {
        this.discovery = discovery;
        this.setup = setup;
        this.adoption = adoption;
    }

    @PostMapping("/discovery")
    @Operation(summary = "Check both nodes for setup (read only): a checklist with what was found and the fix for "
            + "each failed item. The body (optional) is the setup form; its outputs and DRBD device are checked too")
    Checklist discovery(@PathVariable UUID id, @RequestBody(required = false) SetupForm form) {
        return discovery.discover(id, form);
    }

    @PostMapping("/plan")
    @Operation(summary = "The plan for the setup form: ordered steps (node, exact commands, what changes, the check, the undo) "
            + "and warnings. Reads the nodes (discovery) and changes nothing. The hacluster password is never echoed")
    SetupPlan plan(@PathVariable UUID id, @RequestBody(required = false) SetupForm form) {
        return setup.plan(id, form);
    }

    @PostMapping("/dry-run")
    @Operation(summary = "The plan's CIB changes applied with pcs -f to an empty CIB in a file on the node that starts active: "
            + "what the CIB would hold (properties, resources, constraints) and crm_simulate's placement; for Cold the DRBD file "
            + "checked with drbdadm dump. 409 when a cluster exists (adopt it instead)")
    SetupService.DryRun dryRun(@PathVariable UUID id, @RequestBody(required = false) SetupForm form) {
        return setup.dryRun(id, form);
    }

    @PostMapping("/adopt")
    @Operation(summary = "Adopt the cluster the pair's nodes already run. Without a body (or accept false): the proposal, read "
            + "only: which resource is NFO, the VIP, the gate and DRBD, the mode the cluster's shape implies, and each difference "
            + "from the recipe with its severity, meaning and the exact commands that fix it; ambiguities are said, never guessed. "
            + "With {\"accept\": true, \"token\": <the proposal's>, \"mapping\": {mode, nfoResource, vipResource, gateResource, "
            + "drbdResource}}: saves the mapping into the pair (audited) and the monitor uses it. 409 cluster-changed when the "
            + "cluster is no longer as proposed, no-cluster when neither node runs Pacemaker; 400 naming the field otherwise")
    AdoptionService.Answer adopt(@PathVariable UUID id, @RequestBody(required = false) AdoptionService.Request request) {
        return adoption.adopt(id, request);
    }
}
