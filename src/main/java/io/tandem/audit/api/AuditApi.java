package io.tandem.audit.api;

import java.time.Instant;
import java.util.List;

import org.springframework.data.domain.Page;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.tandem.console.StoredTime;
import io.tandem.audit.AuditEvent;
import io.tandem.audit.AuditLog;
import io.tandem.audit.AuditQuery;
import io.tandem.audit.Outcome;

@RestController
@RequestMapping("/api/v1/audit")
@Tag(name = "Audit", description = "The append-only audit log (ADMIN)")
class AuditApi {

    private final AuditLog audit;

    AuditApi(AuditLog audit) {
        this.audit = audit;
    }

    record Entry(long id, Instant at, String actor, String remoteAddress, String action, String target,
                 Outcome outcome, String details) {
        static Entry of(AuditEvent event) {
            return new Entry(event.id(), event.occurredAt(), event.actor(), event.remoteAddress(), event.action(),
                    event.target(), event.outcome(), event.details());
        }
    }

    record EntryPage(List<Entry> items, int page, int size, long total) {
    }

    @GetMapping
    @Operation(summary = "Audit entries, newest first; filter by actor, action (substring), outcome, target, time range")
    EntryPage find(@RequestParam(required = false) String actor,
                   @RequestParam(required = false) String action,
                   @RequestParam(required = false) Outcome outcome,
                   @RequestParam(required = false) String target,
                   @RequestParam(required = false) Instant from,
                   @RequestParam(required = false) Instant to,
                   @RequestParam(defaultValue = "0") int page,
                   @RequestParam(defaultValue = "100") int size) {
        Page<AuditEvent> result = audit.find(new AuditQuery(actor, action, outcome, target,
                StoredTime.require("from", from), StoredTime.require("to", to)), page, size);
        return new EntryPage(result.map(Entry::of).getContent(), result.getNumber(), result.getSize(), result.getTotalElements());
    }
}
