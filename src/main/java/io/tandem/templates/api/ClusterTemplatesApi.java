package io.tandem.templates.api;

import java.util.UUID;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.tandem.templates.ClusterTemplates;

@RestController
@Tag(name = "Templates")
class ClusterTemplatesApi {

    private final ClusterTemplates templates;

    ClusterTemplatesApi(ClusterTemplates templates) {
        this.templates = templates;
    }

    @GetMapping("/api/v1/clusters/{id}/templates")
    @Operation(summary = "Both nodes' NetFlow template caches and the parity of the passive against the active "
            + "(missing, conflicting, stale templates, readiness, exposure in records/s)")
    ClusterTemplates.View templates(@PathVariable UUID id) {
        return templates.refresh(id);
    }
}
