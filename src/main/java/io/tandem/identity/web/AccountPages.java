package io.tandem.identity.web;

import java.util.UUID;

import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import io.tandem.console.Rejected;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import io.tandem.identity.PasswordChanges;
import io.tandem.identity.TandemUser;
import io.tandem.identity.TokenService;
import io.tandem.identity.TokenService.MintedToken;

/** Every user's own account: password and personal API tokens. */
@Controller
class AccountPages {

    private final PasswordChanges passwords;
    private final TokenService tokens;

    AccountPages(PasswordChanges passwords, TokenService tokens) {
        this.passwords = passwords;
        this.tokens = tokens;
    }

    @GetMapping("/account")
    String account() {
        return "redirect:/account/tokens";
    }

    @GetMapping("/account/password")
    String passwordForm(@AuthenticationPrincipal TandemUser user, Model model) {
        model.addAttribute("forced", user.mustChangePassword());
        return "account/password";
    }

    @PostMapping("/account/password")
    String changePassword(@AuthenticationPrincipal TandemUser user, @RequestParam(defaultValue = "") String currentPassword,
                          @RequestParam(defaultValue = "") String newPassword,
                          @RequestParam(defaultValue = "") String repeatPassword, Model model, RedirectAttributes redirect,
                          HttpServletRequest request, HttpServletResponse response) {
        model.addAttribute("forced", user.mustChangePassword());
        if (!newPassword.equals(repeatPassword)) {
            model.addAttribute("errorField", "repeatPassword");
            model.addAttribute("error", "The two new passwords differ.");
            return "account/password";
        }
        try {
            passwords.changeOwn(user, currentPassword, newPassword, request, response);
        } catch (Rejected rejected) {
            model.addAttribute("errorField", rejected.field());
            model.addAttribute("error", rejected.getMessage());
            return "account/password";
        }
        redirect.addFlashAttribute("flash", "Your password is changed.");
        return "redirect:/";
    }

    @GetMapping("/account/tokens")
    String tokens(@AuthenticationPrincipal TandemUser user, Model model) {
        model.addAttribute("tokens", tokens.listFor(user.id()));
        return "account/tokens";
    }

    @PostMapping("/account/tokens")
    String mint(@AuthenticationPrincipal TandemUser user, @RequestParam(defaultValue = "") String name,
                @RequestParam(required = false) Integer expiresInDays, Model model) {
        try {
            MintedToken minted = tokens.mint(user.id(), name, expiresInDays);
            model.addAttribute("minted", minted);
        } catch (Rejected rejected) {
            model.addAttribute("errorField", rejected.field());
            model.addAttribute("error", rejected.getMessage());
            model.addAttribute("name", name);
        }
        return tokens(user, model);
    }

    @PostMapping("/account/tokens/{id}/revoke")
    String revoke(@AuthenticationPrincipal TandemUser user, @PathVariable UUID id, RedirectAttributes redirect) {
        tokens.revoke(user.id(), id);
        redirect.addFlashAttribute("flash", "Token revoked.");
        return "redirect:/account/tokens";
    }
}
