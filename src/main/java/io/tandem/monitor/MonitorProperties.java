package io.tandem.monitor;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the console watches the fleet.
 *
 * @param enabled poll the registered nodes (tests of other modules turn it off)
 * @param agentInterval how often an agent node is read
 * @param sshInterval how often an SSH node is read (each read runs several commands on the node)
 * @param sshUnsettledInterval how often an SSH node is read while its pair is unsettled: SSH has no change stream,
 *        so after a role or finding changed (a crash, a failover under way) its nodes are read this often until the
 *        pair has been quiet for {@code unsettledHold}, to show the survivor take over promptly
 * @param unsettledHold how long a pair counts as unsettled after its roles or findings last changed
 * @param freshness an observation older than this is stale data
 * @param maxBackoff the longest wait between reads of a node that keeps failing
 * @param readers nodes read at the same time; one slow node holds one reader, never the others
 * @param retention how long role changes and findings are kept in the history
 * @param overviewRefresh how often browsers with the fleet overview open get the card list even without a health
 *        change, so the cards' data ages and newly registered pairs stay current
 */
@ConfigurationProperties("tandem.monitor")
public record MonitorProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("2s") Duration agentInterval,
        @DefaultValue("5s") Duration sshInterval,
        @DefaultValue("1s") Duration sshUnsettledInterval,
        @DefaultValue("60s") Duration unsettledHold,
        @DefaultValue("20s") Duration freshness,
        @DefaultValue("60s") Duration maxBackoff,
        @DefaultValue("16") int readers,
        @DefaultValue("30d") Duration retention,
        @DefaultValue("15s") Duration overviewRefresh) {
}
