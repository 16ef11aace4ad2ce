package io.tandem.setup.api;

import java.util.UUID;

import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.tandem.setup.Checklist;
import io.tandem.setup.Discovery;
import io.tandem.setup.SetupForm;

@RestController
@RequestMapping("/api/v1/clusters/{id}/setup")
@Tag(name = "Setup", description = "Guided Hot/Cold setup of a registered pair. ADMIN.")
class SetupApi {

    private final Discovery discovery;

    SetupApi(Discovery discovery) {
        this.discovery = discovery;
    }

    @PostMapping("/discovery")
    @Operation(summary = "Check both nodes for setup (read only): a checklist with what was found and the fix for "
            + "each failed item. The body (optional) is the setup form; its outputs and DRBD device are checked too")
    Checklist discovery(@PathVariable UUID id, @RequestBody(required = false) SetupForm form) {
        return discovery.discover(id, form);
    }
}
