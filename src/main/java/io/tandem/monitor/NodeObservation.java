package io.tandem.monitor;

import java.time.Instant;
import java.util.Objects;

import io.tandem.node.NodeAccessException;
import io.tandem.node.NodeSnapshot;

/**
 * One attempt to read one node: the snapshot it returned, or why there is none.
 *
 * @param node the node's name in the fleet (expected to be its Pacemaker node name too)
 * @param snapshot what the node reported, or null when it could not be read
 * @param failure why it could not be read, or null when there is a snapshot
 * @param observedAt when the console made the observation, on the console's clock (compared with {@code now})
 */
public record NodeObservation(String node, NodeSnapshot snapshot, ReadFailure failure, Instant observedAt) {

    public NodeObservation {
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(observedAt, "observedAt");
        if ((snapshot == null) == (failure == null)) {
            throw new IllegalArgumentException("an observation holds either a snapshot or a failure");
        }
    }

    public static NodeObservation read(String node, NodeSnapshot snapshot, Instant observedAt) {
        return new NodeObservation(node, Objects.requireNonNull(snapshot, "snapshot"), null, observedAt);
    }

    public static NodeObservation failed(String node, NodeAccessException cause, Instant observedAt) {
        return new NodeObservation(node, null, ReadFailure.of(cause), observedAt);
    }

    public boolean reachable() {
        return snapshot != null;
    }

    /** The placeholder for a node Tandem has not tried to read since it started: it has no age and no last state. */
    public static NodeObservation notReadYet(String node) {
        return new NodeObservation(node, null, new ReadFailure(ReadFailure.NOT_READ_YET,
                "Tandem has not read this node since it started."), Instant.EPOCH);
    }

    /**
     * Age in seconds of the oldest of these observations that is a real reading attempt, or -1 when none is (nothing
     * read yet): a pair's data is as old as its oldest node's, never as old as a placeholder.
     */
    public static long oldestAgeSeconds(java.util.Collection<NodeObservation> observations, Instant now) {
        return observations.stream().filter(o -> !o.neverRead()).map(NodeObservation::observedAt)
                .min(java.util.Comparator.naturalOrder())
                .map(t -> Math.max(0, now.getEpochSecond() - t.getEpochSecond())).orElse(-1L);
    }

    /** True for {@link #notReadYet}: its time is no reading's time, so no age may be counted from it. */
    public boolean neverRead() {
        return failure != null && ReadFailure.NOT_READ_YET.equals(failure.reason());
    }

    /**
     * Why a node could not be read.
     *
     * @param reason the operator word of {@link NodeAccessException#reason()} (unreachable, timeout, key changed, ...)
     * @param message the detail, e.g. which address timed out or which fingerprints differ
     */
    public record ReadFailure(String reason, String message) {

        /** {@link NodeAccessException.KeyRejected#reason()} for a pinned key that no longer matches. */
        static final String KEY_CHANGED = "key changed";
        /** The reason of a node not read yet since the console started. */
        static final String NOT_READ_YET = "not read yet";

        public ReadFailure {
            Objects.requireNonNull(reason, "reason");
            message = message == null ? "" : message;
        }

        public static ReadFailure of(NodeAccessException cause) {
            return new ReadFailure(cause.reason(), cause.getMessage());
        }

        public boolean keyChanged() {
            return KEY_CHANGED.equals(reason);
        }
    }
}
