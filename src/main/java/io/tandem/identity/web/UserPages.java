package io.tandem.identity.web;

import java.util.UUID;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import io.tandem.console.Rejected;
import io.tandem.identity.Role;
import io.tandem.identity.TokenService;
import io.tandem.identity.UserAdministration;
import io.tandem.identity.UserAdministration.IssuedPassword;

/** ADMIN: users, their roles, enabling, password resets and their API tokens. */
@Controller
@RequestMapping("/admin/users")
class UserPages {

    private final UserAdministration users;
    private final TokenService tokens;

    UserPages(UserAdministration users, TokenService tokens) {
        this.users = users;
        this.tokens = tokens;
    }

    @GetMapping
    String list(Model model) {
        model.addAttribute("users", users.list());
        model.addAttribute("roles", Role.values());
        return "admin/users";
    }

    @PostMapping
    String create(@RequestParam(defaultValue = "") String username, @RequestParam(required = false) Role role,
                  @RequestParam(defaultValue = "") String password, Model model) {
        try {
            IssuedPassword issued = users.create(username, role, password);
            if (password.isEmpty()) {
                model.addAttribute("issued", issued);
            } else {
                model.addAttribute("flash", "Created " + issued.user().username() + ".");
            }
        } catch (Rejected rejected) {
            model.addAttribute("errorField", rejected.field());
            model.addAttribute("error", rejected.getMessage());
            model.addAttribute("username", username);
            model.addAttribute("role", role);
        }
        return list(model);
    }

    @GetMapping("/{id}")
    String user(@PathVariable UUID id, Model model) {
        model.addAttribute("user", users.get(id));
        model.addAttribute("roles", Role.values());
        model.addAttribute("tokens", tokens.listFor(id));
        return "admin/user";
    }

    @PostMapping("/{id}/tokens/{tokenId}/revoke")
    String revokeToken(@PathVariable UUID id, @PathVariable UUID tokenId, RedirectAttributes redirect) {
        tokens.revoke(id, tokenId);
        redirect.addFlashAttribute("flash", "Token revoked.");
        return "redirect:/admin/users/" + id;
    }

    @PostMapping("/{id}")
    String update(@PathVariable UUID id, @RequestParam Role role, @RequestParam(defaultValue = "false") boolean enabled,
                  Model model, RedirectAttributes redirect) {
        try {
            users.update(id, role, enabled);
        } catch (Rejected rejected) {
            if (rejected.kind() == Rejected.Kind.NOT_FOUND) {
                throw rejected;
            }
            model.addAttribute("error", rejected.getMessage());
            return user(id, model);
        }
        redirect.addFlashAttribute("flash", "Saved.");
        return "redirect:/admin/users/" + id;
    }

    @PostMapping("/{id}/password")
    String resetPassword(@PathVariable UUID id, @RequestParam(defaultValue = "") String password, Model model) {
        try {
            IssuedPassword issued = users.resetPassword(id, password);
            if (password.isEmpty()) {
                model.addAttribute("issued", issued);
            } else {
                model.addAttribute("flash", "Password set; " + issued.user().username() + " must change it at next login.");
            }
        } catch (Rejected rejected) {
            if (rejected.kind() == Rejected.Kind.NOT_FOUND) {
                throw rejected;
            }
            model.addAttribute("passwordError", rejected.getMessage());
        }
        return user(id, model);
    }
}
