package io.tandem.operation.web;

import java.time.Clock;
import java.util.UUID;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

import io.github.wimdeblauwe.htmx.spring.boot.mvc.HxRequest;
import io.tandem.console.Rejected;
import io.tandem.fleet.FleetService;
import io.tandem.operation.OperationKind;
import io.tandem.operation.OperationRunner;
import io.tandem.operation.OperationView;

/**
 * Operations in the browser: a preflight page that shows every check and asks for the typed confirmation, the
 * progress page that follows the journal step by step, and the pair's list of past operations.
 */
@Controller
class OperationPages {

    private final FleetService fleet;
    private final OperationRunner runner;
    private final Clock clock;

    OperationPages(FleetService fleet, OperationRunner runner, Clock clock) {
        this.fleet = fleet;
        this.runner = runner;
        this.clock = clock;
    }

    @GetMapping("/clusters/{id}/operations")
    String list(@PathVariable UUID id, Model model) {
        model.addAttribute("cluster", fleet.get(id));
        model.addAttribute("operations", runner.recent(id, 50));
        return "operation/list";
    }

    @GetMapping("/clusters/{id}/operations/new")
    String preflight(@PathVariable UUID id, @RequestParam OperationKind kind, @RequestParam(defaultValue = "") String node,
                     org.springframework.security.core.Authentication user, Model model) {
        model.addAttribute("cluster", fleet.get(id));
        model.addAttribute("roleAllows", io.tandem.operation.OperationRoles.allowed(kind, user));
        model.addAttribute("preflight", runner.preflight(id, kind, node));
        return "operation/preflight";
    }

    /** The node's operation buttons on the pair page, re-fetched whenever the pair's health panel changes. */
    @GetMapping("/clusters/{id}/operations/actions")
    String actions(@PathVariable UUID id, @RequestParam String node, Model model) {
        model.addAttribute("cluster", fleet.get(id));
        model.addAttribute("node", node);
        model.addAttribute("preflights", runner.preflights(id, node));
        return "operation/actions :: actions";
    }

    /** The node's agent on its card (its build, and for ADMINs install, upgrade or remove), re-fetched like the buttons. */
    @GetMapping("/clusters/{id}/operations/agent")
    String agent(@PathVariable UUID id, @RequestParam String node, Model model) {
        model.addAttribute("cluster", fleet.get(id));
        model.addAttribute("card", runner.agentCard(id, node));
        return "operation/agent :: agent";
    }

    /** The pair's Pacemaker controls on its page, re-fetched whenever the pair's health panel changes. */
    @GetMapping("/clusters/{id}/operations/pacemaker")
    String controls(@PathVariable UUID id, Model model) {
        model.addAttribute("cluster", fleet.get(id));
        model.addAttribute("controls", runner.controls(id));
        return "operation/controls :: controls";
    }

    /**
     * @param choosing the page offered the copy's files as boxes to tick: then {@code files} is the choice (none ticked
     *        is a choice too, refused), else every changed file is copied
     */
    @PostMapping("/clusters/{id}/operations")
    String start(@PathVariable UUID id, @RequestParam OperationKind kind, @RequestParam String node,
                 @RequestParam(defaultValue = "") String confirm, @RequestParam(defaultValue = "false") boolean choosing,
                 @RequestParam(required = false) java.util.List<String> files,
                 org.springframework.security.core.Authentication user, Model model) {
        try {
            io.tandem.operation.OperationRoles.require(kind, user);
            UUID operation = runner.start(id, kind, node, confirm, user.getName(),
                    choosing ? (files == null ? java.util.List.of() : files) : null);
            return "redirect:/operations/" + operation;
        } catch (Rejected rejected) {
            if (rejected.kind() == Rejected.Kind.NOT_FOUND || rejected.kind() == Rejected.Kind.FORBIDDEN) {
                throw rejected;
            }
            model.addAttribute("cluster", fleet.get(id));
            model.addAttribute("preflight", runner.preflight(id, kind, node));
            model.addAttribute("roleAllows", io.tandem.operation.OperationRoles.allowed(kind, user));
            model.addAttribute("error", rejected.getMessage());
            model.addAttribute("chosen", files);
            return "operation/preflight";
        }
    }

    @HxRequest
    @GetMapping("/operations/{id}")
    String progressFragment(@PathVariable UUID id, Model model) {
        fill(id, model);
        return "operation/progress :: progress";
    }

    @GetMapping("/operations/{id}")
    String progress(@PathVariable UUID id, Model model) {
        fill(id, model);
        return "operation/progress";
    }

    private void fill(UUID id, Model model) {
        OperationView operation = runner.find(id).orElseThrow(() -> Rejected.notFound("Operation", id));
        model.addAttribute("operation", operation);
        model.addAttribute("cluster", fleet.get(operation.clusterId()));
        model.addAttribute("now", clock.instant());
    }
}
