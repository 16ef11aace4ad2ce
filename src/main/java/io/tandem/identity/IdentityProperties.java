package io.tandem.identity;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Login and token rules.
 *
 * @param maxFailedLogins failed logins in a row that lock a user
 * @param lockDuration how long a locked user stays locked
 * @param minPasswordLength shortest password accepted
 * @param maxTokenDays longest lifetime of a personal API token
 */
@ConfigurationProperties("tandem.security")
public record IdentityProperties(
        @DefaultValue("5") int maxFailedLogins,
        @DefaultValue("5m") Duration lockDuration,
        @DefaultValue("10") int minPasswordLength,
        @DefaultValue("365") int maxTokenDays) {
}
