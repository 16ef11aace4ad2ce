package io.tandem.identity;

import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Login and token rules.
 *
 * @param maxFailedLogins failed logins for one user from one client address that lock that address out of that user
 * @param maxFailedLoginsPerAddress failed logins from one client address, whatever the users, that lock the address out
 * @param lockDuration how long a lock lasts; also the window in which failures are counted
 * @param minPasswordLength shortest password accepted
 * @param maxTokenDays longest lifetime of a personal API token
 * @param trustedProxies addresses of the reverse proxies whose X-Forwarded-For and X-Forwarded-Proto are believed;
 *        empty (the default) believes no one, so the client address is always the TCP peer
 */
@ConfigurationProperties("tandem.security")
public record IdentityProperties(
        @DefaultValue("5") int maxFailedLogins,
        @DefaultValue("20") int maxFailedLoginsPerAddress,
        @DefaultValue("5m") Duration lockDuration,
        @DefaultValue("10") int minPasswordLength,
        @DefaultValue("365") int maxTokenDays,
        @DefaultValue List<String> trustedProxies) {
}
