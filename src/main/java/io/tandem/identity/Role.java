package io.tandem.identity;

import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/** Ordered from least to most powerful; each role includes the ones before it. */
public enum Role {
    /** Reads everything except users and the audit log. */
    VIEWER,
    /** VIEWER plus running operations (restart, config copy, failover). */
    OPERATOR,
    /** Everything, including the fleet registry, users and the audit log. */
    ADMIN;

    public GrantedAuthority authority() {
        return new SimpleGrantedAuthority("ROLE_" + name());
    }

    public boolean includes(Role other) {
        return compareTo(other) >= 0;
    }
}
