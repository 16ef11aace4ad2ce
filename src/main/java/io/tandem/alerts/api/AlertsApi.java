package io.tandem.alerts.api;

import java.util.List;
import java.util.UUID;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.tandem.alerts.Alerting;

@RestController
@RequestMapping("/api/v1/clusters/{id}/alerts")
@Tag(name = "Alerts", description = "A pair's webhook and email: critical findings, role changes, recoveries")
class AlertsApi {

    private final Alerting alerting;

    AlertsApi(Alerting alerting) {
        this.alerting = alerting;
    }

    record AlertsView(Alerting.Target target, Alerting.MailTarget mail, List<Alerting.Sent> recent) {
    }

    /** {@code recipients}: email addresses; none removes email alerts for the pair. */
    record MailRequest(List<String> recipients, Boolean enabled) {
    }

    /** {@code secret}: null keeps the stored one, "" removes it; it is never returned. */
    record TargetRequest(String webhookUrl, String secret, Boolean enabled) {
    }

    @GetMapping
    @Operation(summary = "The pair's webhook (never its secret), its email recipients and the last 50 sends")
    AlertsView get(@PathVariable UUID id) {
        return new AlertsView(alerting.target(id).orElse(null), alerting.mailTarget(id).orElse(null), alerting.recent(id));
    }

    @PutMapping
    @Operation(summary = "Set the pair's webhook (ADMIN); JSON POSTs, signed with X-Tandem-Signature: sha256=HMAC when a secret is set")
    Alerting.Target put(@PathVariable UUID id, @RequestBody TargetRequest request) {
        return alerting.configure(id, request.webhookUrl(), request.secret(), request.enabled() == null || request.enabled());
    }

    @PostMapping("/test")
    @Operation(summary = "Send a test alert now (OPERATOR) and report how it went")
    Alerting.Sent test(@PathVariable UUID id) {
        return alerting.test(id, Alerting.Channel.WEBHOOK);
    }

    @PutMapping("/mail")
    @Operation(summary = "Set the pair's email recipients (ADMIN); an empty list removes email alerts")
    Alerting.MailTarget putMail(@PathVariable UUID id, @RequestBody MailRequest request) {
        String recipients = request.recipients() == null ? "" : String.join(", ", request.recipients().stream()
                .map(r -> r == null ? "" : r).toList());
        return alerting.configureMail(id, recipients, request.enabled() == null || request.enabled()).orElse(null);
    }

    @PostMapping("/mail/test")
    @Operation(summary = "Send a test email now (OPERATOR) and report how it went")
    Alerting.Sent testMail(@PathVariable UUID id) {
        return alerting.test(id, Alerting.Channel.MAIL);
    }
}
