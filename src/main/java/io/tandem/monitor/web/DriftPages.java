package io.tandem.monitor.web;

import java.util.List;
import java.util.UUID;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import io.tandem.console.Rejected;
import io.tandem.fleet.ClusterView;
import io.tandem.fleet.FleetService;
import io.tandem.monitor.ConfigDrift;
import io.tandem.monitor.FileDiffView;
import io.tandem.node.NodeAccessException;
import io.tandem.node.config.ConfigRefusedException;

/**
 * Which configuration files differ between a pair's nodes, read now, and one file side by side; admins keep the
 * pair's ignore list here, next to what it hides.
 */
@Controller
class DriftPages {

    private final FleetService fleet;
    private final ConfigDrift drift;

    DriftPages(FleetService fleet, ConfigDrift drift) {
        this.fleet = fleet;
        this.drift = drift;
    }

    @GetMapping("/clusters/{id}/drift")
    String list(@PathVariable UUID id, Model model) {
        ClusterView cluster = fleet.get(id);
        model.addAttribute("cluster", cluster);
        if (!model.containsAttribute("globs")) {
            model.addAttribute("globs", String.join("\n", cluster.driftIgnore()));
        }
        try {
            model.addAttribute("comparison", drift.compare(cluster));
        } catch (NodeAccessException e) {
            model.addAttribute("unavailable", "Could not read the nodes' configuration: " + e.reason() + " — " + e.getMessage());
        } catch (ConfigRefusedException e) {
            model.addAttribute("unavailable", "A node refused to list its configuration: " + e.getMessage());
        }
        return "monitor/drift";
    }

    @GetMapping("/clusters/{id}/drift/file")
    String file(@PathVariable UUID id, @RequestParam String path, Model model) {
        ClusterView cluster = fleet.get(id);
        model.addAttribute("cluster", cluster);
        model.addAttribute("path", path);
        try {
            ConfigDrift.FileDrift file = drift.file(cluster, path);
            model.addAttribute("file", file);
            model.addAttribute("view", FileDiffView.of(file));
        } catch (NodeAccessException e) {
            model.addAttribute("error", "Could not read the file from the nodes: " + e.reason() + " — " + e.getMessage());
        } catch (ConfigRefusedException e) {
            model.addAttribute("error", "A node refused to show '" + path + "': " + e.getMessage());
        }
        return "monitor/drift-file";
    }

    @PostMapping("/clusters/{id}/drift/ignore")
    String ignore(@PathVariable UUID id, @RequestParam(defaultValue = "") String globs,
                  @RequestParam(required = false) Long version, RedirectAttributes redirect) {
        List<String> lines = globs.lines().map(String::strip).filter(s -> !s.isEmpty()).toList();
        try {
            fleet.ignoreDrift(id, lines, version);
            redirect.addFlashAttribute("flash", lines.isEmpty() ? "No file is ignored any more."
                    : "Ignoring " + lines.size() + (lines.size() == 1 ? " pattern." : " patterns."));
        } catch (Rejected rejected) {
            if (rejected.kind() == Rejected.Kind.NOT_FOUND) {
                throw rejected;
            }
            redirect.addFlashAttribute("globs", globs);
            redirect.addFlashAttribute("ignoreError", rejected.getMessage());
        }
        return "redirect:/clusters/" + id + "/drift";
    }
}
