package io.tandem.alerts;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * When and where alerts go.
 *
 * @param failoverGrace how long an automatic failover (or a restart in place) may take before the loss of output
 *        is sent as CRITICAL; a takeover within it is one WARNING. Both outputs open has no grace.
 * @param minGap the shortest time between two sends for one pair; what happens meanwhile goes together in the next
 *        send, never later than this
 * @param allowLocalTargets allow webhooks on loopback (127.0.0.0/8, ::1) and link-local (169.254.0.0/16, fe80::/10)
 *        addresses, which are refused by default: such a URL reaches the console's own host or a cloud metadata
 *        service, not an alert receiver. The demo allows them; its receivers run on the same machine.
 */
@ConfigurationProperties("tandem.alerts")
public record AlertProperties(
        @DefaultValue("30s") Duration failoverGrace,
        @DefaultValue("5s") Duration minGap,
        @DefaultValue("false") boolean allowLocalTargets) {

    public AlertProperties {
        if (failoverGrace.isNegative() || minGap.isNegative()) {
            throw new IllegalArgumentException("tandem.alerts.failover-grace and min-gap cannot be negative");
        }
    }
}
