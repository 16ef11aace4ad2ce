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

    /**
     * Why a node could not be read.
     *
     * @param reason the operator word of {@link NodeAccessException#reason()} (unreachable, timeout, key changed, ...)
     * @param message the detail, e.g. which address timed out or which fingerprints differ
     */
    public record ReadFailure(String reason, String message) {

        /** {@link NodeAccessException.KeyRejected#reason()} for a pinned key that no longer matches. */
        static final String KEY_CHANGED = "key changed";

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
