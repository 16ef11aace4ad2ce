package io.tandem.operation;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;

import io.tandem.console.Rejected;

/**
 * The URL rules let OPERATOR start operations; the kinds that need more ({@link OperationKind#requiredRole}) are
 * checked here, the same for the page and the API. ADMIN implies OPERATOR.
 */
public final class OperationRoles {

    private OperationRoles() {
    }

    public static boolean allowed(OperationKind kind, Authentication user) {
        if (user == null) {
            return false;
        }
        boolean admin = user.getAuthorities().stream().map(GrantedAuthority::getAuthority).anyMatch("ROLE_ADMIN"::equals);
        boolean operator = admin || user.getAuthorities().stream().map(GrantedAuthority::getAuthority).anyMatch("ROLE_OPERATOR"::equals);
        return kind.requiredRole().equals("ADMIN") ? admin : operator;
    }

    public static void require(OperationKind kind, Authentication user) {
        if (!allowed(kind, user)) {
            throw new Rejected(Rejected.Kind.FORBIDDEN, "role-required", java.util.List.of(),
                    kind.label() + " needs the " + kind.requiredRole() + " role.");
        }
    }
}
