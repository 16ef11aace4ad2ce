package io.tandem.identity;

import java.io.Serial;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/** An API request authenticated by a personal token: the owner's role plus {@value #AUTHORITY}. */
public final class ApiTokenAuthentication extends AbstractAuthenticationToken {

    @Serial
    private static final long serialVersionUID = 1L;
    static final String AUTHORITY = "API_TOKEN";

    private final TandemUser user;
    private final UUID tokenId;

    ApiTokenAuthentication(TandemUser user, UUID tokenId) {
        super(authorities(user));
        this.user = user;
        this.tokenId = tokenId;
        setAuthenticated(true);
    }

    /** The token this request came with. */
    public UUID tokenId() {
        return tokenId;
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
