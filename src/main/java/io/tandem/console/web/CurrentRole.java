package io.tandem.console.web;

import java.util.List;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;

/** Every page shows the user's role beside their name, so nobody wonders why a button is missing. */
@ControllerAdvice(annotations = Controller.class)
class CurrentRole {

    /** The user's name, beside the role (pages drawn for many users put each one's own in, see {@link SharedPages}). */
    static final String CURRENT_USER = "currentUser";

    private static final List<String> STRONGEST_FIRST = List.of("ADMIN", "OPERATOR", "VIEWER");

    private final boolean demo;

    CurrentRole(@org.springframework.beans.factory.annotation.Value("${tandem.demo.enabled:false}") boolean demo) {
        this.demo = demo;
    }

    /** The navigation offers the demo's fault panel only when the demo runs. */
    @ModelAttribute("demoEnabled")
    boolean demoEnabled() {
        return demo;
    }

    @ModelAttribute(CURRENT_USER)
    String currentUser(Authentication authentication) {
        return authentication == null ? null : authentication.getName();
    }

    @ModelAttribute("currentRole")
    String currentRole(Authentication authentication) {
        if (authentication == null) {
            return null;
        }
        List<String> held = authentication.getAuthorities().stream().map(GrantedAuthority::getAuthority).toList();
        return STRONGEST_FIRST.stream().filter(role -> held.contains("ROLE_" + role)).findFirst().orElse(null);
    }
}
