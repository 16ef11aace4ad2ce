package io.tandem.demo.api;

import java.util.List;
import java.util.Map;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.tandem.audit.AuditLog;
import io.tandem.audit.Outcome;
import io.tandem.demo.DemoLab;

@RestController
@RequestMapping("/api/v1/demo/faults")
@ConditionalOnProperty(name = "tandem.demo.enabled", havingValue = "true")
@Tag(name = "Demo", description = "Fault injection into the demo lab (OPERATOR; only with --demo)")
class DemoFaultsApi {

    private final DemoLab demo;
    private final AuditLog audit;

    DemoFaultsApi(DemoLab demo, AuditLog audit) {
        this.demo = demo;
        this.audit = audit;
    }

    record FaultRequest(String cluster, String node, String fault) {
    }

    record Faults(List<String> faults, Map<String, List<String>> nodes) {
    }

    @GetMapping
    @Operation(summary = "The faults that can be injected and the demo's pairs and nodes")
    Faults list() {
        return new Faults(demo.faults(), demo.nodes());
    }

    @PostMapping
    @Operation(summary = "Inject a fault: kill-nfo, crash-node, stop-templates, change-config, break-drbd, open-gate, block-gate")
    ResponseEntity<Void> inject(@RequestBody FaultRequest request) {
        demo.inject(request.cluster(), request.node(), request.fault());
        audit.record("DEMO_FAULT", request.cluster() + "/" + request.node(), Outcome.SUCCESS, Map.of("fault", request.fault()));
        return ResponseEntity.accepted().build();
    }

    @DeleteMapping
    @Operation(summary = "Heal every injected fault")
    ResponseEntity<Void> heal() {
        demo.heal();
        audit.record("DEMO_HEAL", "demo", Outcome.SUCCESS, Map.of());
        return ResponseEntity.noContent().build();
    }
}
