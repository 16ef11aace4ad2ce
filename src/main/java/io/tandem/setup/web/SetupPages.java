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

    /**
     * The wizard's fields as the browser posts them: outputs one per line, fence parameters as {@code name=value}
     * lines. The password is bound only to build the {@link SetupForm}; no page ever renders it back.
     */
    record WizardForm(String mode, String clusterName, String activeNode, String outputs, String vip, String haclusterPassword,
                      boolean fenceNone, String fenceAgent, String fenceParams, String drbdResource, String drbdDevice,
                      String drbdMountPoint, Integer drbdPort) {

        SetupForm toSetupForm() {
            Map<String, String> params = new LinkedHashMap<>();
            lines(fenceParams).forEach(l -> {
                int eq = l.indexOf('=');
                params.put(eq < 0 ? l : l.substring(0, eq).strip(), eq < 0 ? "" : l.substring(eq + 1).strip());
            });
            boolean cold = "COLD".equalsIgnoreCase(mode);
            return new SetupForm(mode, clusterName, activeNode, lines(outputs), vip, haclusterPassword,
                    new SetupForm.Fencing(fenceNone ? Boolean.TRUE : null, fenceNone || blank(fenceAgent) ? null : fenceAgent.strip(),
                            params),
                    cold ? new SetupForm.Drbd(drbdResource, drbdDevice, drbdMountPoint, drbdPort) : null);
        }

        private static List<String> lines(String text) {
            return text == null ? List.of() : Arrays.stream(text.split("\\R")).map(String::strip).filter(l -> !l.isEmpty()).toList();
        }

        private static boolean blank(String s) {
            return s == null || s.isBlank();
        }
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
        try {
            model.addAttribute("dryRun", setup.dryRun(id, form.toSetupForm()));
        } catch (Rejected rejected) {
            model.addAttribute("rejected", rejected);
        }
        return "setup/wizard :: dryrun";
    }
}
