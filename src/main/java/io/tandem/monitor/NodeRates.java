package io.tandem.monitor;

import java.time.Duration;

import io.tandem.netflow.CachedTemplate;
import io.tandem.node.GateStatus;
import io.tandem.node.NodeSnapshot;
import io.tandem.node.UdpCounters;

/**
 * What flows through one node, per second, between two of its snapshots: counters only count up, so a rate is
 * the difference over the node's own clock. A value is null when it cannot be known honestly: a part missing in
 * either snapshot, or a counter that went backwards (NFO restarted, gate rules rewritten, host rebooted).
 *
 * @param recordsIn data records NFO decoded (the template cache's per-template counters, summed)
 * @param datagramsIn UDP datagrams the host received (the kernel's counters: the whole host, not NFO alone)
 * @param heldBack packets the output gate dropped: output a passive node would have sent; null unless blocked
 * @param datagramsOut UDP datagrams the host sent (the whole host): what leaves an open node towards the output
 */
public record NodeRates(Double recordsIn, Double datagramsIn, Double heldBack, Double datagramsOut) {

    /** Closer readings than this (a change-triggered read right after a poll) make a rate mostly noise. */
    static final Duration MIN_SPAN = Duration.ofSeconds(1);

    public static final NodeRates UNKNOWN = new NodeRates(null, null, null, null);

    /** The rates from {@code earlier} to {@code later}, both of the same node; unknown without both snapshots. */
    public static NodeRates between(NodeObservation earlier, NodeObservation later) {
        if (earlier == null || later == null || earlier.snapshot() == null || later.snapshot() == null) {
            return UNKNOWN;
        }
        NodeSnapshot a = earlier.snapshot();
        NodeSnapshot b = later.snapshot();
        if (a.takenAt() == null || b.takenAt() == null) {
            return UNKNOWN;
        }
        double seconds = Duration.between(a.takenAt(), b.takenAt()).toMillis() / 1000.0;
        if (seconds < MIN_SPAN.toMillis() / 1000.0) {
            return UNKNOWN;
        }
        Double records = a.templates() == null || b.templates() == null ? null
                : rate(records(a), records(b), seconds);
        Double in = a.udp() == null || b.udp() == null ? null
                : rate(received(a.udp().udp4(), a.udp().udp6()), received(b.udp().udp4(), b.udp().udp6()), seconds);
        Double out = a.udp() == null || b.udp() == null ? null
                : rate(sent(a.udp().udp4(), a.udp().udp6()), sent(b.udp().udp4(), b.udp().udp6()), seconds);
        Double held = blocked(a) && blocked(b) ? rate(a.gate().droppedPackets(), b.gate().droppedPackets(), seconds) : null;
        return new NodeRates(records, in, held, out);
    }

    private static boolean blocked(NodeSnapshot snapshot) {
        return snapshot.gate() != null && snapshot.gate().status() == GateStatus.BLOCKED;
    }

    private static long records(NodeSnapshot snapshot) {
        return snapshot.templates().templates().stream().mapToLong(CachedTemplate::dataRecords).sum();
    }

    private static long received(UdpCounters v4, UdpCounters v6) {
        return (v4 == null ? 0 : v4.inDatagrams()) + (v6 == null ? 0 : v6.inDatagrams());
    }

    private static long sent(UdpCounters v4, UdpCounters v6) {
        return (v4 == null ? 0 : v4.outDatagrams()) + (v6 == null ? 0 : v6.outDatagrams());
    }

    private static Double rate(long before, long after, double seconds) {
        return after < before ? null : (after - before) / seconds;
    }
}
