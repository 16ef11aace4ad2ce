package io.tandem.fleet.web;

import java.util.UUID;

import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.validation.BindingResult;
import org.springframework.web.bind.WebDataBinder;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.InitBinder;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import io.tandem.console.Rejected;
import io.tandem.console.web.FormErrors;
import io.tandem.console.web.SharedPages;
import io.tandem.fleet.AccessKind;
import io.tandem.fleet.ClusterMode;
import io.tandem.fleet.ClusterView;
import io.tandem.fleet.FleetService;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

@Controller
class FleetPages {

    private final FleetService fleet;
    private final SharedPages pages;

    FleetPages(FleetService fleet, SharedPages pages) {
        this.fleet = fleet;
        this.pages = pages;
    }

    @InitBinder("form")
    void allowOnlyFormFields(WebDataBinder binder) {
        binder.setDisallowedFields("nodes[*].credentialStored");
        binder.setAutoGrowCollectionLimit(2);
    }

    @GetMapping("/clusters/new")
    String newCluster(Model model) {
        return form(model, new ClusterForm(), null, null);
    }

    @PostMapping("/clusters")
    String create(@ModelAttribute("form") ClusterForm form, BindingResult binding, Model model, RedirectAttributes redirect) {
        if (binding.hasErrors()) {
            return form(model, form, null, null);
        }
        try {
            ClusterView created = fleet.create(form.toSpec());
            redirect.addFlashAttribute("flash", "Registered " + created.name() + ".");
            return "redirect:/clusters/" + created.id();
        } catch (Rejected rejected) {
            FormErrors.apply(rejected, binding);
            return form(model, form, null, null);
        }
    }

    /** Drawn once per registration of the pair and role set (its health is a fragment of its own). */
    @GetMapping("/clusters/{id}")
    ResponseEntity<byte[]> detail(@PathVariable UUID id, Model model, HttpServletRequest request, HttpServletResponse response) {
        ClusterView cluster = fleet.get(id);
        model.addAttribute("cluster", cluster);
        return pages.page(request, response, "fleet/detail", id, cluster, model.asMap());
    }

    @GetMapping("/clusters/{id}/edit")
    String edit(@PathVariable UUID id, Model model) {
        ClusterView view = fleet.get(id);
        return form(model, ClusterForm.of(view), id, view.name());
    }

    @PostMapping("/clusters/{id}")
    String update(@PathVariable UUID id, @ModelAttribute("form") ClusterForm form, BindingResult binding, Model model,
                  RedirectAttributes redirect) {
        ClusterView current = fleet.get(id);
        restoreStoredFlags(form, current);
        if (binding.hasErrors()) {
            return form(model, form, id, current.name());
        }
        try {
            ClusterView updated = fleet.update(id, form.toSpec(), form.getVersion());
            redirect.addFlashAttribute("flash", "Saved " + updated.name() + ".");
            return "redirect:/clusters/" + id;
        } catch (Rejected rejected) {
            if (rejected.kind() == Rejected.Kind.NOT_FOUND) {
                throw rejected;
            }
            FormErrors.apply(rejected, binding);
            return form(model, form, id, current.name());
        }
    }

    @GetMapping("/clusters/{id}/delete")
    String confirmDelete(@PathVariable UUID id, Model model) {
        model.addAttribute("cluster", fleet.get(id));
        return "fleet/delete";
    }

    @PostMapping("/clusters/{id}/delete")
    String delete(@PathVariable UUID id, @RequestParam(defaultValue = "") String confirmName, Model model,
                  RedirectAttributes redirect) {
        ClusterView cluster = fleet.get(id);
        if (!cluster.name().equals(confirmName.strip())) {
            model.addAttribute("cluster", cluster);
            model.addAttribute("mismatch", true);
            return "fleet/delete";
        }
        fleet.delete(id);
        redirect.addFlashAttribute("flash", "Deleted " + cluster.name() + " from the fleet.");
        return "redirect:/";
    }

    private static void restoreStoredFlags(ClusterForm form, ClusterView current) {
        if (form.getNodes() == null) {
            return;
        }
        for (int i = 0; i < Math.min(2, form.getNodes().size()); i++) {
            if (form.getNodes().get(i) != null) {
                form.getNodes().get(i).setCredentialStored(current.nodes().get(i).hasCredential());
            }
        }
    }

    private static String form(Model model, ClusterForm form, UUID id, String originalName) {
        while (form.getNodes().size() < 2) {
            form.getNodes().add(new ClusterForm.NodeForm());
        }
        model.addAttribute("form", form);
        model.addAttribute("editing", id != null);
        model.addAttribute("clusterId", id);
        model.addAttribute("originalName", originalName);
        model.addAttribute("modes", ClusterMode.values());
        model.addAttribute("accessKinds", AccessKind.values());
        return "fleet/form";
    }
}
