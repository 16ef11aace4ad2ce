package io.tandem.identity;

import java.io.Serial;
import java.io.Serializable;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

import org.springframework.security.core.CredentialsContainer;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.userdetails.UserDetails;

/**
 * The authenticated principal. Equality is by user id so the session registry finds every session
 * of a user whatever else changed (role, password flag).
 */
public final class TandemUser implements UserDetails, CredentialsContainer, Serializable {

    @Serial
    private static final long serialVersionUID = 1L;

    private final UUID id;
    private final String username;
    private String passwordHash;
    private final Role role;
    private final boolean enabled;
    private final boolean mustChangePassword;

    TandemUser(UUID id, String username, String passwordHash, Role role, boolean enabled, boolean mustChangePassword) {
        this.id = id;
        this.username = username;
        this.passwordHash = passwordHash;
        this.role = role;
        this.enabled = enabled;
        this.mustChangePassword = mustChangePassword;
    }

    static TandemUser of(UserAccount account) {
        return new TandemUser(account.id(), account.username(), account.passwordHash(), account.role(),
                account.enabled(), account.mustChangePassword());
    }

    public UUID id() {
        return id;
    }

    public Role role() {
        return role;
    }

    public boolean mustChangePassword() {
        return mustChangePassword;
    }

    /** After the user chose a new password in this session: the forced change is done. */
    TandemUser withPasswordChanged() {
        return new TandemUser(id, username, null, role, enabled, false);
    }

    /** A token stands for its user's role; password state does not apply to it. */
    static TandemUser forToken(UserAccount account) {
        return new TandemUser(account.id(), account.username(), null, account.role(), account.enabled(), false);
    }

    @Override
    public Collection<? extends GrantedAuthority> getAuthorities() {
        return List.of(role.authority());
    }

    @Override
    public String getPassword() {
        return passwordHash;
    }

    @Override
    public String getUsername() {
        return username;
    }

    /** Locking is per client address ({@link LoginThrottle}), never of the account itself. */
    @Override
    public boolean isAccountNonLocked() {
        return true;
    }

    @Override
    public boolean isEnabled() {
        return enabled;
    }

    @Override
    public void eraseCredentials() {
        passwordHash = null;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof TandemUser user && user.id.equals(id);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id);
    }

    @Override
    public String toString() {
        return username;
    }
}
