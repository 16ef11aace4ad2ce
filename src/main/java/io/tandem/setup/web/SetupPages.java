package io.tandem.setup.web;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;

import io.tandem.console.Rejected;
import io.tandem.fleet.FleetService;
import io.tandem.setup.SetupForm;
import io.tandem.setup.SetupService;

/** The setup wizard (ADMIN): the form, then the plan, then the dry run, each fetched by htmx into the page. */
@Controller
class SetupPages {

    private final FleetService fleet;
    private final SetupService setup;

    SetupPages(FleetService fleet, SetupService setup) {
        this.fleet = fleet;
        this.setup = setup;
    }

    @GetMapping("/clusters/{id}/setup")
    String page(@PathVariable UUID id, Model model) {
        model.addAttribute("cluster", fleet.get(id));
        return "setup/wizard";
    }

    @PostMapping("/clusters/{id}/setup/plan")
    String plan(@PathVariable UUID id, WizardForm form, Model model) {
        try {
            model.addAttribute("plan", setup.plan(id, form.toSetupForm()));
        } catch (Rejected rejected) {
            model.addAttribute("rejected", rejected);
        }
        return "setup/wizard :: plan";
    }

    @PostMapping("/clusters/{id}/setup/dry-run")
    String dryRun(@PathVariable UUID id, WizardForm form, Model model) {
        model.addAttribute("cluster", fleet.get(id)); // the Apply form under a dry run posts to this pair
        try {
            model.addAttribute("dryRun", setup.dryRun(id, form.toSetupForm()));
        } catch (Rejected rejected) {
            model.addAttribute("rejected", rejected);
        }
        return "setup/wizard :: dryrun";
    }
}
