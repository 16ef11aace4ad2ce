package io.tandem.monitor;

import java.time.Duration;

import io.tandem.fleet.AccessKind;

/**
 * How long the poller waits before reading a node again. Agents push their changes, so their poll is only a safety
 * net; SSH nodes are only ever polled, so while their pair is unsettled (a role or finding changed recently) they are
 * read at the faster unsettled interval: a crash is usually noticed on one node first, and the survivor's takeover
 * follows within seconds. A node that keeps failing backs off, doubling per failure up to the longest backoff.
 */
record PollSchedule(MonitorProperties properties) {

    /** Failures beyond this many in a row no longer lengthen the wait (2^8 times the interval is past any backoff). */
    private static final int MAX_DOUBLINGS = 8;

    Duration next(AccessKind access, int failuresInARow, boolean pairUnsettled) {
        Duration base = access == AccessKind.AGENT ? properties.agentInterval()
                : pairUnsettled ? min(properties.sshUnsettledInterval(), properties.sshInterval())
                : properties.sshInterval();
        Duration backedOff = base.multipliedBy(1L << Math.min(Math.max(failuresInARow, 0), MAX_DOUBLINGS));
        return min(backedOff, properties.maxBackoff());
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
