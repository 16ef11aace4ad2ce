package io.tandem.identity;

import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.stereotype.Component;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;

/**
 * A user changing their own password in the browser. Afterwards the session's principal no longer
 * carries the "must change" flag, so the rest of the console opens without a new login, and every
 * other session of the user ends: whoever else held one must now know the new password.
 */
@Component
public class PasswordChanges {

    private final UserAdministration users;
    private final SessionTerminator sessions;
    private final SecurityContextRepository sessionContexts = new HttpSessionSecurityContextRepository();

    PasswordChanges(UserAdministration users, SessionTerminator sessions) {
        this.users = users;
        this.sessions = sessions;
    }

    public void changeOwn(TandemUser user, String currentPassword, String newPassword, HttpServletRequest request,
                          HttpServletResponse response) {
        users.changeOwnPassword(user.id(), currentPassword, newPassword);
        Authentication current = SecurityContextHolder.getContext().getAuthentication();
        TandemUser updated = user.withPasswordChanged();
        UsernamePasswordAuthenticationToken refreshed =
                UsernamePasswordAuthenticationToken.authenticated(updated, null, updated.getAuthorities());
        refreshed.setDetails(current == null ? null : current.getDetails());
        SecurityContext context = SecurityContextHolder.createEmptyContext();
        context.setAuthentication(refreshed);
        SecurityContextHolder.setContext(context);
        sessionContexts.saveContext(context, request, response);
        HttpSession session = request.getSession(false);
        sessions.endSessionsOf(user.id(), session == null ? null : session.getId());
    }
}
