package io.tandem.identity;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import io.tandem.audit.AuditLog;
import io.tandem.audit.Outcome;
import io.tandem.console.Rejected;
import io.tandem.datastore.DataDirectory;

/** What an ADMIN does with users, and what every user does with their own password. */
@Service
public class UserAdministration {

    private static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{1,63}");

    private final UserAccounts accounts;
    private final PasswordEncoder encoder;
    private final PasswordPolicy policy;
    private final AuditLog audit;
    private final SessionTerminator sessions;
    private final TokenService tokens;
    private final LoginThrottle throttle;
    private final DataDirectory dataDirectory;
    private final Clock clock;

    UserAdministration(UserAccounts accounts, PasswordEncoder encoder, PasswordPolicy policy, AuditLog audit,
                       SessionTerminator sessions, TokenService tokens, LoginThrottle throttle,
                       DataDirectory dataDirectory, Clock clock) {
        this.accounts = accounts;
        this.encoder = encoder;
        this.policy = policy;
        this.audit = audit;
        this.sessions = sessions;
        this.tokens = tokens;
        this.throttle = throttle;
        this.dataDirectory = dataDirectory;
        this.clock = clock;
    }

    /** A user as shown to admins: never the hash. {@code locked}: some client address is locked out of this user now. */
    public record UserView(UUID id, String username, Role role, boolean enabled, boolean locked,
                           boolean mustChangePassword, java.time.Instant createdAt, java.time.Instant passwordChangedAt) {
    }

    /** A password shown once to the admin who set or generated it. */
    public record IssuedPassword(UserView user, String password) {
    }

    @Transactional(readOnly = true)
    public List<UserView> list() {
        return accounts.findAllOrdered().stream().map(this::view).toList();
    }

    @Transactional(readOnly = true)
    public UserView get(UUID id) {
        return view(find(id));
    }

    /** Creates a user; with no password given a random one is generated, which must be changed at first login. */
    @Transactional
    public IssuedPassword create(String username, Role role, String password) {
        String name = username == null ? "" : username.strip();
        if (!USERNAME.matcher(name).matches()) {
            throw Rejected.invalid("invalid-username", "username",
                    "A username has 2 to 64 characters: letters, digits, '.', '_', '@' or '-', starting with a letter or digit.");
        }
        if (role == null) {
            throw Rejected.invalid("invalid-role", "role", "Choose a role: VIEWER, OPERATOR or ADMIN.");
        }
        if (accounts.findByUsername(name).isPresent()) {
            throw Rejected.conflict("username-taken", "username", "A user named '" + name + "' already exists.");
        }
        boolean generated = password == null || password.isEmpty();
        String secret = generated ? policy.generate() : password;
        if (!generated) {
            policy.check(name, secret, "password");
        }
        UserAccount account = accounts.save(new UserAccount(name, encoder.encode(secret), role, true, clock.instant()));
        audit.record("USER_CREATE", name, Outcome.SUCCESS, Map.of("after", describe(account)));
        return new IssuedPassword(view(account), secret);
    }

    /** A new role or disabling ends the user's browser sessions and revokes their API tokens. */
    @Transactional
    public UserView update(UUID id, Role role, Boolean enabled) {
        UserAccount account = find(id);
        Map<String, Object> before = describe(account);
        boolean roleChanged = role != null && role != account.role();
        boolean disabled = enabled != null && !enabled && account.enabled();
        if (role != null) {
            if (account.role() == Role.ADMIN && role != Role.ADMIN) {
                guardLastAdmin(account, "role");
            }
            account.assignRole(role);
        }
        if (enabled != null) {
            if (!enabled && account.role() == Role.ADMIN && account.enabled()) {
                guardLastAdmin(account, "enabled");
            }
            account.setEnabled(enabled);
        }
        Map<String, Object> after = describe(account);
        if (!before.equals(after)) {
            audit.record("USER_UPDATE", account.username(), Outcome.SUCCESS, Map.of("before", before, "after", after));
            sessions.endSessionsOf(account.id());
        }
        if (roleChanged || disabled) {
            tokens.revokeAllOf(account.id(), account.username(), disabled ? "user disabled" : "role changed");
        }
        return view(account);
    }

    /**
     * Sets a new password chosen by the admin or generated; the user must change it at next login.
     * Their sessions end, their API tokens are revoked and every address locked out of them may try again.
     */
    @Transactional
    public IssuedPassword resetPassword(UUID id, String password) {
        UserAccount account = find(id);
        boolean generated = password == null || password.isEmpty();
        String secret = generated ? policy.generate() : password;
        if (!generated) {
            policy.check(account.username(), secret, "password");
        }
        account.changePassword(encoder.encode(secret), true, clock.instant());
        audit.record("USER_PASSWORD_RESET", account.username(), Outcome.SUCCESS, Map.of("generated", generated));
        sessions.endSessionsOf(account.id());
        tokens.revokeAllOf(account.id(), account.username(), "password reset");
        throttle.forget(account.username());
        return new IssuedPassword(view(account), secret);
    }

    /** A user changes their own password, proving the current one. */
    @Transactional
    public void changeOwnPassword(UUID id, String currentPassword, String newPassword) {
        UserAccount account = find(id);
        if (currentPassword == null || !encoder.matches(currentPassword, account.passwordHash())) {
            audit.record("PASSWORD_CHANGE", account.username(), Outcome.FAILURE, Map.of("reason", "current password wrong"));
            throw Rejected.invalid("wrong-password", "currentPassword", "The current password is not right.");
        }
        policy.check(account.username(), newPassword, "newPassword");
        if (encoder.matches(newPassword, account.passwordHash())) {
            throw Rejected.invalid("weak-password", "newPassword", "Choose a password different from the current one.");
        }
        account.changePassword(encoder.encode(newPassword), false, clock.instant());
        audit.record("PASSWORD_CHANGE", account.username(), Outcome.SUCCESS, Map.of());
        if (account.username().equals(InitialAdmin.USERNAME)) {
            InitialAdmin.forgetInitialPassword(dataDirectory);
        }
    }

    private void guardLastAdmin(UserAccount account, String field) {
        if (accounts.countEnabledAdmins() <= 1) {
            throw Rejected.conflict("last-admin", field,
                    "'" + account.username() + "' is the last enabled ADMIN; make another user ADMIN first.");
        }
    }

    private UserAccount find(UUID id) {
        return accounts.findById(id).orElseThrow(() -> Rejected.notFound("User", id));
    }

    private UserView view(UserAccount account) {
        return new UserView(account.id(), account.username(), account.role(), account.enabled(),
                throttle.lockedSomewhere(account.username()), account.mustChangePassword(), account.createdAt(),
                account.passwordChangedAt());
    }

    private static Map<String, Object> describe(UserAccount account) {
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("username", account.username());
        state.put("role", account.role().name());
        state.put("enabled", account.enabled());
        return state;
    }
}
