package io.tandem.demo.web;

import java.util.Map;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import io.tandem.audit.AuditLog;
import io.tandem.audit.Outcome;
import io.tandem.console.Rejected;
import io.tandem.demo.DemoLab;

/** The demo's fault panel: break a node on purpose and watch Tandem notice. */
@Controller
@ConditionalOnProperty(name = "tandem.demo.enabled", havingValue = "true")
class DemoFaultsPage {

    private final DemoLab demo;
    private final AuditLog audit;

    DemoFaultsPage(DemoLab demo, AuditLog audit) {
        this.demo = demo;
        this.audit = audit;
    }

    @GetMapping("/demo")
    String page(Model model) {
        model.addAttribute("faults", demo.faults());
        model.addAttribute("nodes", demo.nodes());
        return "demo/faults";
    }

    @PostMapping("/demo/faults")
    String inject(@RequestParam String cluster, @RequestParam String node, @RequestParam String fault, RedirectAttributes redirect) {
        try {
            demo.inject(cluster, node, fault);
            audit.record("DEMO_FAULT", cluster + "/" + node, Outcome.SUCCESS, Map.of("fault", fault));
            redirect.addFlashAttribute("flash", "Injected " + fault + " on " + node + " of " + cluster + ".");
        } catch (Rejected rejected) {
            redirect.addFlashAttribute("flash", "Refused: " + rejected.getMessage());
        }
        return "redirect:/demo";
    }

    @PostMapping("/demo/heal")
    String heal(RedirectAttributes redirect) {
        demo.heal();
        audit.record("DEMO_HEAL", "demo", Outcome.SUCCESS, Map.of());
        redirect.addFlashAttribute("flash", "Healed every fault.");
        return "redirect:/demo";
    }
}
