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
import io.tandem.setup.AdoptionService;
import io.tandem.setup.SetupForm;
import io.tandem.setup.SetupService;

/** The setup wizard (ADMIN): the form, then the plan, then the dry run, each fetched by htmx into the page. */
@Controller
class SetupPages {

    private final FleetService fleet;
    private final SetupService setup;
    private final AdoptionService adoption;

    SetupPages(FleetService fleet, SetupService setup, AdoptionService adoption) {
        this.fleet = fleet;
        this.setup = setup;
        this.adoption = adoption;
    }

    @GetMapping("/clusters/{id}/setup")
    String page(@PathVariable UUID id, Model model) {
        model.addAttribute("cluster", fleet.get(id));
        model.addAttribute("clusterSeen", adoption.clusterSeen(id));
        return "setup/wizard";
    }

    /** The proposal, or (with {@code accept} and the pair's name typed) its acceptance. */
    @PostMapping("/clusters/{id}/setup/adopt")
    String adopt(@PathVariable UUID id, AdoptForm form, Model model) {
        var cluster = fleet.get(id);
        model.addAttribute("cluster", cluster);
        try {
            AdoptionService.Answer answer = adoption.adopt(id, form.toRequest(cluster));
            model.addAttribute(answer.accepted() ? "adopted" : "adoption", answer.accepted() ? answer.pair() : answer.proposal());
        } catch (Rejected rejected) {
            model.addAttribute("rejected", rejected);
        }
        return "setup/wizard :: adopt";
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
