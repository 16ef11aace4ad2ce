package io.tandem.identity;

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

/** Counts failed logins per client address (locking after too many) and audits every login and logout. */
@Component
class LoginEvents {

    private final LoginThrottle throttle;
    private final AuditLog audit;
    private final IdentityProperties properties;

    LoginEvents(LoginThrottle throttle, AuditLog audit, IdentityProperties properties) {
        this.throttle = throttle;
        this.audit = audit;
        this.properties = properties;
    }

    @EventListener
    @Transactional
    public void onSuccess(AuthenticationSuccessEvent event) {
        if (!(event.getAuthentication().getPrincipal() instanceof TandemUser user)) {
            return; // token authentications are not logins
        }
        throttle.recordSuccess(user.getUsername(), ThrottledAuthenticationProvider.clientAddress(event.getAuthentication()));
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
            String address = ThrottledAuthenticationProvider.clientAddress(event.getAuthentication());
            switch (throttle.recordFailure(username, address)) {
                case USER_FROM_ADDRESS -> audit.record(truncate(username), "USER_LOCKED", truncate(username), Outcome.SUCCESS,
                        Map.of("address", address, "failedLogins", properties.maxFailedLogins(),
                                "for", properties.lockDuration().toString()));
                case ADDRESS -> audit.record(truncate(username), "ADDRESS_LOCKED", address, Outcome.SUCCESS,
                        Map.of("failedLogins", properties.maxFailedLoginsPerAddress(),
                                "for", properties.lockDuration().toString()));
                case NOTHING -> { }
            }
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
