package io.tandem.alerts.web;

import java.util.UUID;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import io.tandem.alerts.Alerting;
import io.tandem.console.Rejected;
import io.tandem.fleet.FleetService;

@Controller
@RequestMapping("/clusters/{id}/alerts")
class AlertsPage {

    private final Alerting alerting;
    private final FleetService fleet;

    AlertsPage(Alerting alerting, FleetService fleet) {
        this.alerting = alerting;
        this.fleet = fleet;
    }

    @GetMapping
    String page(@PathVariable UUID id, Model model) {
        model.addAttribute("cluster", fleet.get(id));
        model.addAttribute("target", alerting.target(id).orElse(null));
        model.addAttribute("mail", alerting.mailTarget(id).orElse(null));
        model.addAttribute("recent", alerting.recent(id));
        return "alerts/alerts";
    }

    @PostMapping
    String configure(@PathVariable UUID id, @RequestParam(defaultValue = "") String webhookUrl,
                     @RequestParam(required = false) String secret, @RequestParam(defaultValue = "false") boolean enabled,
                     @RequestParam(defaultValue = "false") boolean removeSecret, Model model, RedirectAttributes redirect) {
        try {
            String newSecret = removeSecret ? "" : (secret == null || secret.isEmpty() ? null : secret);
            alerting.configure(id, webhookUrl, newSecret, enabled);
        } catch (Rejected rejected) {
            if (rejected.kind() == Rejected.Kind.NOT_FOUND) {
                throw rejected;
            }
            model.addAttribute("error", rejected.getMessage());
            model.addAttribute("webhookUrl", webhookUrl);
            return page(id, model);
        }
        redirect.addFlashAttribute("flash", "Alert settings saved.");
        return "redirect:/clusters/" + id + "/alerts";
    }

    @PostMapping("/test")
    String test(@PathVariable UUID id, RedirectAttributes redirect) {
        return tested(id, alerting.test(id, Alerting.Channel.WEBHOOK), redirect);
    }

    @PostMapping("/mail")
    String configureMail(@PathVariable UUID id, @RequestParam(defaultValue = "") String recipients,
                         @RequestParam(defaultValue = "false") boolean mailEnabled, Model model, RedirectAttributes redirect) {
        try {
            alerting.configureMail(id, recipients, mailEnabled);
        } catch (Rejected rejected) {
            if (rejected.kind() == Rejected.Kind.NOT_FOUND) {
                throw rejected;
            }
            model.addAttribute("mailError", rejected.getMessage());
            model.addAttribute("recipients", recipients);
            return page(id, model);
        }
        redirect.addFlashAttribute("flash", "Email recipients saved.");
        return "redirect:/clusters/" + id + "/alerts";
    }

    @PostMapping("/mail/test")
    String testMail(@PathVariable UUID id, RedirectAttributes redirect) {
        return tested(id, alerting.test(id, Alerting.Channel.MAIL), redirect);
    }

    private static String tested(UUID id, Alerting.Sent sent, RedirectAttributes redirect) {
        redirect.addFlashAttribute("flash", "Test " + sent.channel().name().toLowerCase() + " alert: " + sent.outcome()
                + " (" + sent.detail() + ").");
        return "redirect:/clusters/" + id + "/alerts";
    }
}
