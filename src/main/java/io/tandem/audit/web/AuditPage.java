package io.tandem.audit.web;

import java.time.LocalDateTime;
import java.time.ZoneOffset;

import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

import io.tandem.audit.AuditLog;
import io.tandem.console.StoredTime;
import io.tandem.audit.AuditQuery;
import io.tandem.audit.Outcome;

@Controller
class AuditPage {

    private static final int PAGE_SIZE = 50;

    private final AuditLog audit;

    AuditPage(AuditLog audit) {
        this.audit = audit;
    }

    /** Times in the form are UTC, like every time Tandem shows. */
    @GetMapping("/audit")
    String audit(@RequestParam(required = false) String actor, @RequestParam(required = false) String action,
                 @RequestParam(required = false) Outcome outcome, @RequestParam(required = false) String target,
                 @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) LocalDateTime from,
                 @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) LocalDateTime to,
                 @RequestParam(defaultValue = "0") int page, Model model) {
        AuditQuery query = new AuditQuery(actor, action, outcome, target,
                from == null ? null : StoredTime.require("from", from.toInstant(ZoneOffset.UTC)),
                to == null ? null : StoredTime.require("to", to.toInstant(ZoneOffset.UTC)));
        model.addAttribute("events", audit.find(query, page, PAGE_SIZE));
        model.addAttribute("outcomes", Outcome.values());
        model.addAttribute("actor", actor);
        model.addAttribute("action", action);
        model.addAttribute("outcome", outcome);
        model.addAttribute("target", target);
        model.addAttribute("from", from);
        model.addAttribute("to", to);
        return "audit/list";
    }
}
