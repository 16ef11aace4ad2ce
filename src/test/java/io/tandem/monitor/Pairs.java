package io.tandem.monitor;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.function.UnaryOperator;

import io.tandem.fleet.AccessKind;
import io.tandem.fleet.ClusterMode;
import io.tandem.fleet.ClusterView;
import io.tandem.netflow.ParityReport;
import io.tandem.node.ActiveState;
import io.tandem.node.GateStatus;
import io.tandem.node.NodeAccessException;

/**
 * A healthy pair (nfo-a active, nfo-b passive) to bend into each danger state: every test changes only what its
 * case is about, so the case reads as the difference from health.
 */
final class Pairs {

    static final Duration FRESHNESS = Duration.ofSeconds(30);

    private final ClusterMode mode;
    private Snapshots.Builder a;
    private Snapshots.Builder b;
    private NodeAccessException unreadableA;
    private NodeAccessException unreadableB;
    private Instant observedA = Snapshots.T0;
    private Instant observedB = Snapshots.T0;
    private ParityReport parity;
    private boolean neverReadB;
    private List<String> drift = List.of();
    private final java.util.Map<String, Instant> outputSince = new java.util.HashMap<>();
    private String plannedOverlap;
    private AccessKind accessB = AccessKind.AGENT;

    private Pairs(ClusterMode mode, Snapshots.Builder a, Snapshots.Builder b) {
        this.mode = mode;
        this.a = a;
        this.b = b;
    }

    static Pairs hot() {
        String pcmk = CrmMonXml.hot("nfo-a", "nfo-a", "nfo-b").xml();
        return new Pairs(ClusterMode.HOT,
                Snapshots.node("nfo-a").gate(GateStatus.OPEN).crmMon(pcmk),
                Snapshots.node("nfo-b").gate(GateStatus.BLOCKED).crmMon(pcmk));
    }

    static Pairs cold() {
        String pcmk = CrmMonXml.cold("nfo-a").xml();
        return new Pairs(ClusterMode.COLD,
                Snapshots.node("nfo-a").gate(GateStatus.OPEN).crmMon(pcmk)
                        .drbd(DrbdJson.established("nfo-b", "Primary", "Secondary")),
                Snapshots.node("nfo-b").service(ActiveState.INACTIVE).gate(GateStatus.BLOCKED).listening().crmMon(pcmk)
                        .drbd(DrbdJson.established("nfo-a", "Secondary", "Primary")));
    }

    Pairs a(UnaryOperator<Snapshots.Builder> change) {
        a = change.apply(a);
        return this;
    }

    Pairs b(UnaryOperator<Snapshots.Builder> change) {
        b = change.apply(b);
        return this;
    }

    /** The same crm_mon on both nodes, as in a cluster whose nodes agree. */
    Pairs pacemaker(CrmMonXml crmMon) {
        String xml = crmMon.xml();
        a.crmMon(xml);
        b.crmMon(xml);
        return this;
    }

    Pairs unreachableA(NodeAccessException cause) {
        unreadableA = cause;
        return this;
    }

    Pairs unreachableB(NodeAccessException cause) {
        unreadableB = cause;
        return this;
    }

    Pairs observedA(Instant at) {
        observedA = at;
        return this;
    }

    /** The node's output state (sending, not, unreadable) was first observed at {@code at}. */
    Pairs outputSince(String node, Instant at) {
        outputSince.put(node, at);
        return this;
    }

    /** nfo-b as the console holds it before its first reading: a placeholder, not a reading from 1970. */
    Pairs neverReadB() {
        neverReadB = true;
        return this;
    }

    Pairs observedB(Instant at) {
        observedB = at;
        return this;
    }

    Pairs parity(ParityReport report) {
        parity = report;
        return this;
    }

    /** An operation under way that opens both outputs on purpose. */
    Pairs plannedOverlap(String operation) {
        plannedOverlap = operation;
        return this;
    }

    /** nfo-b registered over SSH: no agent there. */
    Pairs bOverSsh() {
        accessB = AccessKind.SSH;
        return this;
    }

    Pairs drift(String... files) {
        drift = List.of(files);
        return this;
    }

    PairObservation observe() {
        return new PairObservation(cluster(mode, accessB), observation("nfo-a", a, unreadableA, observedA),
                neverReadB ? NodeObservation.notReadYet("nfo-b") : observation("nfo-b", b, unreadableB, observedB), Snapshots.T0.plusSeconds(5), FRESHNESS, parity, drift, outputSince,
                plannedOverlap);
    }

    PairHealth health() {
        return HealthEvaluator.evaluate(observe());
    }

    static ClusterView cluster(ClusterMode mode) {
        return cluster(mode, AccessKind.AGENT);
    }

    private static ClusterView cluster(ClusterMode mode, AccessKind accessB) {
        return new ClusterView(UUID.fromString("00000000-0000-0000-0000-000000000001"), "siem-pair", mode, "",
                "nfo", "nfo-vip", "nfo-gate", "nfo-config",
                List.of(nodeView("nfo-a", "10.0.0.1", AccessKind.AGENT), nodeView("nfo-b", "10.0.0.2", accessB)),
                List.of(), Snapshots.T0, Snapshots.T0, 1);
    }

    private static ClusterView.NodeView nodeView(String name, String address, AccessKind access) {
        return new ClusterView.NodeView(UUID.nameUUIDFromBytes(name.getBytes()), name, address, access, "tandem",
                22, false, 7443, "/opt/flowintegrator", "nfo.service", List.of(), List.of(), List.of(9555), true, "SHA256:x");
    }

    private static NodeObservation observation(String node, Snapshots.Builder snapshot, NodeAccessException failure,
            Instant at) {
        return failure != null ? NodeObservation.failed(node, failure, at) : NodeObservation.read(node, snapshot.build(), at);
    }
}
