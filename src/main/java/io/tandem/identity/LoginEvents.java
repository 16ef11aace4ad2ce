package io.tandem.identity;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.context.event.EventListener;
import org.springframework.security.authentication.event.AbstractAuthenticationFailureEvent;
import org.springframework.security.authentication.event.AuthenticationFailureBadCredentialsEvent;
import org.springframework.security.authentication.event.AuthenticationFailureDisabledEvent;
import org.springframework.security.authentication.event.AuthenticationFailureLockedEvent;
import org.springframework.security.authentication.event.AuthenticationSuccessEvent;
import org.springframework.security.authentication.event.LogoutSuccessEvent;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

import io.tandem.audit.AuditLog;
import io.tandem.audit.Outcome;

/** Counts failed logins (locking after too many) and audits every login and logout. */
@Component
class LoginEvents {

    private final UserAccounts accounts;
    private final AuditLog audit;
    private final IdentityProperties properties;
    private final Clock clock;

    LoginEvents(UserAccounts accounts, AuditLog audit, IdentityProperties properties, Clock clock) {
        this.accounts = accounts;
        this.audit = audit;
        this.properties = properties;
        this.clock = clock;
    }

    @EventListener
    @Transactional
    public void onSuccess(AuthenticationSuccessEvent event) {
        if (!(event.getAuthentication().getPrincipal() instanceof TandemUser user)) {
            return; // token authentications are not logins
        }
        accounts.lockByUsername(user.getUsername()).ifPresent(UserAccount::recordSuccessfulLogin);
        audit.record(user.getUsername(), "LOGIN", user.getUsername(), Outcome.SUCCESS, Map.of("method", method()));
    }

    @EventListener
    @Transactional
    public void onFailure(AbstractAuthenticationFailureEvent event) {
        String username = String.valueOf(event.getAuthentication().getName());
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("method", method());
        Outcome outcome = Outcome.FAILURE;
        if (event instanceof AuthenticationFailureBadCredentialsEvent) {
            details.put("reason", "bad credentials");
            Instant now = clock.instant();
            accounts.lockByUsername(username).ifPresent(account -> {
                if (account.recordFailedLogin(now, properties.maxFailedLogins(), properties.lockDuration())) {
                    audit.record(username, "USER_LOCKED", account.username(), Outcome.SUCCESS,
                            Map.of("failedLogins", properties.maxFailedLogins(), "until", account.lockedUntil().toString()));
                }
            });
        } else if (event instanceof AuthenticationFailureLockedEvent) {
            details.put("reason", "locked");
            outcome = Outcome.DENIED;
        } else if (event instanceof AuthenticationFailureDisabledEvent) {
            details.put("reason", "disabled");
            outcome = Outcome.DENIED;
        } else {
            details.put("reason", event.getException().getClass().getSimpleName());
        }
        audit.record(truncate(username), "LOGIN", truncate(username), outcome, details);
    }

    @EventListener
    @Transactional
    public void onLogout(LogoutSuccessEvent event) {
        String username = event.getAuthentication().getName();
        audit.record(username, "LOGOUT", username, Outcome.SUCCESS, Map.of());
    }

    private static String method() {
        RequestAttributes attributes = RequestContextHolder.getRequestAttributes();
        if (attributes instanceof ServletRequestAttributes servlet
                && servlet.getRequest().getRequestURI().startsWith("/api/")) {
            return "basic";
        }
        return "form";
    }

    private static String truncate(String username) {
        return username.length() > 64 ? username.substring(0, 64) : username;
    }
}
