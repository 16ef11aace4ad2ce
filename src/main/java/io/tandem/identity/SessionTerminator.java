package io.tandem.identity;

import java.util.UUID;

import org.springframework.security.core.session.SessionInformation;
import org.springframework.security.core.session.SessionRegistry;
import org.springframework.stereotype.Component;

/** Ends a user's browser sessions after an admin changes what that user may do, or they change their password. */
@Component
class SessionTerminator {

    private final SessionRegistry sessions;

    SessionTerminator(SessionRegistry sessions) {
        this.sessions = sessions;
    }

    void endSessionsOf(UUID userId) {
        endSessionsOf(userId, null);
    }

    /** Every session of the user except {@code keepSessionId} (the one making the change; may be null). */
    void endSessionsOf(UUID userId, String keepSessionId) {
        for (Object principal : sessions.getAllPrincipals()) {
            if (principal instanceof TandemUser user && user.id().equals(userId)) {
                sessions.getAllSessions(principal, false).stream()
                        .filter(session -> !session.getSessionId().equals(keepSessionId))
                        .forEach(SessionInformation::expireNow);
            }
        }
    }
}
