package io.tandem.instances;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How several consoles share one PostgreSQL.
 *
 * @param enabled several consoles share the database: pairs are leased, observations and sessions shared, operations
 *        of a console that is gone are marked interrupted by another; off, this console reads every pair
 * @param name this console's name in logs and the instance table (default: host name and process id)
 * @param lease how long a pair stays with a console that stopped renewing; another console takes it over after
 *        this, plus at most one {@code renewEvery}
 * @param renewEvery how often a console renews its leases and balances the pairs with the others
 */
@ConfigurationProperties("tandem.instances")
public record InstanceProperties(
        @DefaultValue("false") boolean enabled,
        @DefaultValue("") String name,
        @DefaultValue("5s") Duration lease,
        @DefaultValue("1s") Duration renewEvery) {

    public InstanceProperties {
        if (lease.compareTo(renewEvery.multipliedBy(3)) < 0) {
            throw new IllegalArgumentException("tandem.instances.lease (" + lease + ") must be at least three times "
                    + "tandem.instances.renew-every (" + renewEvery + "), or a busy console loses its pairs");
        }
    }
}
