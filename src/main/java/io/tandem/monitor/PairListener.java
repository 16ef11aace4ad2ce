package io.tandem.monitor;

import java.util.UUID;

/**
 * Told of what the monitor judged, after the judgement is recorded: pages that push, alerting, the poller's faster
 * reads. A listener only takes note (queues a push, a send); it must not block, and whatever it throws is logged
 * and goes no further: presenting a judgement can never change it (see {@link PairStates}).
 */
public interface PairListener {

    /** A node of the pair was read, or failed to be, and the pair was judged again. */
    default void observed(UUID clusterId) {
    }

    /**
     * The pair's roles or findings changed. Called in the order of the judgements, one pair at a time (under the
     * pair's lock), so a listener sees a pair's changes in sequence.
     */
    default void healthChanged(PairStates.HealthChanged change) {
    }
}
