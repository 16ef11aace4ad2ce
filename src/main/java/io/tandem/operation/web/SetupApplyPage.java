package io.tandem.operation.web;

import java.util.UUID;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

import io.tandem.console.Rejected;
import io.tandem.operation.OperationKind;
import io.tandem.operation.OperationRoles;
import io.tandem.operation.OperationRunner;
import io.tandem.setup.web.WizardForm;

/**
 * The setup wizard's buttons that change the nodes: Apply (under a dry run), Undo the last setup and Dismantle. Each
 * starts its operation with the wizard's fields and the typed pair name, then sends the browser to the operation's
 * progress page (htmx {@code HX-Redirect}); a refusal is shown in place. Lives here, not in the setup module, because
 * the setup module must not depend on operations.
 */
@Controller
class SetupApplyPage {

    private final OperationRunner runner;

    SetupApplyPage(OperationRunner runner) {
        this.runner = runner;
    }

    /**
     * @param action {@code apply}, {@code resume} (apply that only continues a setup that stopped part-way), {@code undo}
     *        or {@code dismantle}
     * @param keep for dismantle: the node where NFO keeps running
     */
    @PostMapping("/clusters/{id}/setup/{action:apply|resume|undo|dismantle}")
    String start(@PathVariable UUID id, @PathVariable String action, WizardForm form, @RequestParam(defaultValue = "") String confirm,
                 @RequestParam(required = false) String confirmDataLoss, @RequestParam(required = false) String keep,
                 org.springframework.security.core.Authentication user, jakarta.servlet.http.HttpServletResponse response, Model model) {
        OperationKind kind = switch (action) {
            case "undo" -> OperationKind.UNDO_SETUP;
            case "dismantle" -> OperationKind.DISMANTLE;
            default -> OperationKind.SETUP;
        };
        try {
            OperationRoles.require(kind, user);
            UUID operation = runner.startSetup(id, kind, kind == OperationKind.DISMANTLE ? String.valueOf(keep) : form.activeNode(),
                    confirm, user.getName(), kind == OperationKind.DISMANTLE ? null : form.toSetupForm(), confirmDataLoss,
                    action.equals("resume"));
            response.setHeader("HX-Redirect", "/operations/" + operation);
            model.addAttribute("started", operation);
        } catch (Rejected rejected) {
            if (rejected.kind() == Rejected.Kind.NOT_FOUND) {
                throw rejected;
            }
            model.addAttribute("rejected", rejected);
        }
        return "setup/wizard :: applied";
    }
}
