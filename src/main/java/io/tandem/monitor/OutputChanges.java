package io.tandem.monitor;

import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import io.tandem.fleet.ClusterView;

/**
 * When each node's output state last changed: the observation time of the first reading that showed the state the
 * node is in now (sending, not sending, or unreadable). Findings about both nodes at once are judged against it
 * ({@link Evaluation#readTogether()}). Thread-safe; one node's readings arrive in order.
 */
final class OutputChanges {

    enum Output { SENDING, NOT_SENDING, UNREADABLE }

    private record Seen(Output output, Instant since) {
    }

    private final Map<UUID, Seen> seen = new ConcurrentHashMap<>();

    /** Notes a new reading of a node; returns since when the node has been in the state the reading shows. */
    Instant observed(ClusterView cluster, UUID nodeId, NodeReading reading) {
        Output output = output(Roles.derive(reading, cluster, null).role());
        Instant at = reading.observation().observedAt();
        return seen.compute(nodeId, (id, before) -> before != null && before.output() == output ? before : new Seen(output, at))
                .since();
    }

    /** Since when the node has shown its current output state; null when it was never read. */
    Instant since(UUID nodeId) {
        Seen s = seen.get(nodeId);
        return s == null ? null : s.since();
    }

    void retainOnly(Collection<UUID> nodeIds) {
        seen.keySet().retainAll(nodeIds);
    }

    static Output output(NodeRole role) {
        if (role == NodeRole.ACTIVE) {
            return Output.SENDING;
        }
        return role == NodeRole.UNREACHABLE ? Output.UNREADABLE : Output.NOT_SENDING;
    }
}
