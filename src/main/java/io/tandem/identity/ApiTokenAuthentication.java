package io.tandem.identity;

import java.io.Serial;
import java.util.ArrayList;
import java.util.List;

import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/** An API request authenticated by a personal token: the owner's role plus {@value #AUTHORITY}. */
public final class ApiTokenAuthentication extends AbstractAuthenticationToken {

    @Serial
    private static final long serialVersionUID = 1L;
    static final String AUTHORITY = "API_TOKEN";

    private final TandemUser user;

    ApiTokenAuthentication(TandemUser user) {
        super(authorities(user));
        this.user = user;
        setAuthenticated(true);
    }

    private static List<GrantedAuthority> authorities(TandemUser user) {
        List<GrantedAuthority> all = new ArrayList<>(user.getAuthorities());
        all.add(new SimpleGrantedAuthority(AUTHORITY));
        return all;
    }

    @Override
    public Object getCredentials() {
        return null;
    }

    @Override
    public TandemUser getPrincipal() {
        return user;
    }
}
