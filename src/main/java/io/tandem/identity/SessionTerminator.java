package io.tandem.identity;

import java.util.UUID;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.core.session.SessionInformation;
import org.springframework.session.FindByIndexNameSessionRepository;
import org.springframework.session.Session;
import org.springframework.security.core.session.SessionRegistry;
import org.springframework.stereotype.Component;

/** Ends a user's browser sessions after an admin changes what that user may do, or they change their password. */
@Component
class SessionTerminator {

    private final SessionRegistry sessions;

    private final ObjectProvider<FindByIndexNameSessionRepository<? extends Session>> shared;
    private final JdbcTemplate users;

    SessionTerminator(SessionRegistry sessions, ObjectProvider<FindByIndexNameSessionRepository<? extends Session>> shared,
                      JdbcTemplate users) {
        this.sessions = sessions;
        this.shared = shared;
        this.users = users;
    }

    void endSessionsOf(UUID userId) {
        endSessionsOf(userId, null);
    }

    /** Every session of the user except {@code keepSessionId} (the one making the change; may be null). */
    void endSessionsOf(UUID userId, String keepSessionId) {
        var repository = shared.getIfAvailable();
        if (repository != null) { // sessions shared by consoles: found by the user's name, on any console
            users.query("select username from app_user where id = ?", (rs, i) -> rs.getString(1), userId)
                    .forEach(username -> repository.findByPrincipalName(username).keySet().stream()
                            .filter(id -> !id.equals(keepSessionId))
                            .forEach(repository::deleteById));
            return;
        }
        for (Object principal : sessions.getAllPrincipals()) {
            if (principal instanceof TandemUser user && user.id().equals(userId)) {
                sessions.getAllSessions(principal, false).stream()
                        .filter(session -> !session.getSessionId().equals(keepSessionId))
                        .forEach(SessionInformation::expireNow);
            }
        }
    }
}
