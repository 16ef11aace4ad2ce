package io.tandem.metrics;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.tandem.drbd.DrbdConnection;
import io.tandem.drbd.DrbdPeerDevice;
import io.tandem.drbd.DrbdResource;
import io.tandem.fleet.ClusterView;
import io.tandem.fleet.FleetService;
import io.tandem.monitor.Finding;
import io.tandem.monitor.NodeObservation;
import io.tandem.monitor.NodeReading;
import io.tandem.monitor.NodeRole;
import io.tandem.monitor.NodeState;
import io.tandem.monitor.PairStates;
import io.tandem.monitor.Severity;
import io.tandem.monitor.Survival;
import io.tandem.node.NodeSnapshot;
import io.tandem.node.UdpCounters;
import io.tandem.operation.OperationKind;
import io.tandem.operation.OperationRunner;
import io.tandem.operation.OperationView;

/**
 * Every pair's state as gauges, rebuilt from {@link PairStates} every {@link #REFRESH_MILLIS}: a pair or node that is
 * removed, or a finding that clears, disappears from the next scrape. Labels are the pair's and node's names and
 * fixed words (health, role, finding kind and severity); never a finding's text, so the series stay bounded by the
 * fleet's size. The data age is computed at scrape time; everything else is at most one refresh old.
 */
@Component
class PairMetrics {

    private static final Logger log = LoggerFactory.getLogger(PairMetrics.class);
    static final long REFRESH_MILLIS = 5000;
    static final List<String> HEALTHS = List.of("CRITICAL", "WARNING", "INFO", "OK", "UNKNOWN");

    private final FleetService fleet;
    private final PairStates states;
    private final MeterRegistry meters;
    private final Clock clock;

    private final MultiGauge health;
    private final MultiGauge survives;
    private final MultiGauge findings;
    private final MultiGauge role;
    private final MultiGauge reachable;
    private final MultiGauge dataAge;
    private final MultiGauge readiness;
    private final MultiGauge gateDropped;
    private final MultiGauge udpSent;
    private final MultiGauge nfoUp;
    private final MultiGauge drbdInSync;

    PairMetrics(FleetService fleet, PairStates states, MeterRegistry meters, Clock clock) {
        this.fleet = fleet;
        this.states = states;
        this.meters = meters;
        this.clock = clock;
        health = gauge("tandem.pair.health", null, "1 for the pair's current health (worst finding's severity, OK or UNKNOWN before its first reading), 0 for the others");
        survives = gauge("tandem.pair.survives.loss", null, "1 when the pair keeps its output with correct data if this node is lost now");
        findings = gauge("tandem.pair.findings", null, "Findings on the pair now, by kind and severity");
        role = gauge("tandem.node.role", null, "1 for the node's derived role, 0 for the others");
        reachable = gauge("tandem.node.reachable", null, "1 when the node's latest reading succeeded");
        dataAge = gauge("tandem.node.data.age", "seconds", "Age of the node's latest reading (successful or not)");
        readiness = gauge("tandem.pair.template.readiness", null, "Share (0..1) of the templates in use on the active that the passive holds");
        gateDropped = gauge("tandem.node.gate.dropped.packets", null, "Packets the node's output gate dropped since its rules were written (use rate())");
        udpSent = gauge("tandem.node.udp.sent.datagrams", null, "UDP datagrams the node's host sent, the ones that passed the gate (whole host; use rate())");
        nfoUp = gauge("tandem.node.nfo.up", null, "1 when the node's NFO service is running");
        drbdInSync = gauge("tandem.node.drbd.in.sync", "percent", "DRBD: percent of the resource in sync with the peer, as the node reports");
        refresh();
    }

    private MultiGauge gauge(String name, String unit, String description) {
        MultiGauge.Builder builder = MultiGauge.builder(name).description(description);
        if (unit != null) {
            builder.baseUnit(unit);
        }
        return builder.register(meters);
    }

    @Scheduled(fixedDelay = REFRESH_MILLIS, initialDelay = REFRESH_MILLIS)
    void refresh() {
        try {
            rebuild();
        } catch (RuntimeException e) {
            log.warn("Tandem metrics not refreshed: {}", e.toString()); // the previous values stay; the next refresh tries again
        }
    }

    private void rebuild() {
        List<MultiGauge.Row<?>> healthRows = new ArrayList<>();
        List<MultiGauge.Row<?>> survivalRows = new ArrayList<>();
        List<MultiGauge.Row<?>> findingRows = new ArrayList<>();
        List<MultiGauge.Row<?>> roleRows = new ArrayList<>();
        List<MultiGauge.Row<?>> reachableRows = new ArrayList<>();
        List<MultiGauge.Row<?>> ageRows = new ArrayList<>();
        List<MultiGauge.Row<?>> readinessRows = new ArrayList<>();
        List<MultiGauge.Row<?>> droppedRows = new ArrayList<>();
        List<MultiGauge.Row<?>> sentRows = new ArrayList<>();
        List<MultiGauge.Row<?>> nfoRows = new ArrayList<>();
        List<MultiGauge.Row<?>> drbdRows = new ArrayList<>();
        List<ClusterView> pairs = fleet.list();
        for (ClusterView pair : pairs) {
            Tags pairTag = Tags.of("pair", pair.name());
            PairStates.PairState state = states.state(pair.id()).orElse(null);
            String current = state == null ? "UNKNOWN" : state.worst().map(Severity::name).orElse("OK");
            HEALTHS.forEach(h -> healthRows.add(MultiGauge.Row.of(pairTag.and("health", h), h.equals(current) ? 1 : 0)));
            preregisterOperations(pair.name());
            if (state == null) {
                continue;
            }
            for (Survival s : state.health().survival()) {
                survivalRows.add(MultiGauge.Row.of(pairTag.and("node", s.lostNode()), s.survives() ? 1 : 0));
            }
            Map<FindingKey, Long> counts = state.health().findings().stream().collect(Collectors.groupingBy(
                    f -> new FindingKey(f.kind().id(), f.severity().name()), Collectors.counting()));
            counts.forEach((key, count) -> findingRows.add(MultiGauge.Row.of(pairTag.and("kind", key.kind(), "severity", key.severity()), count)));
            for (NodeState node : state.health().nodes()) {
                for (NodeRole r : NodeRole.values()) {
                    roleRows.add(MultiGauge.Row.of(pairTag.and("node", node.node(), "role", r.name()), node.role() == r ? 1 : 0));
                }
            }
            if (state.parity() != null) {
                readinessRows.add(MultiGauge.Row.of(pairTag, state.parity().readiness()));
            }
            for (Map.Entry<String, NodeObservation> entry : state.observations().entrySet()) {
                Tags nodeTags = pairTag.and("node", entry.getKey());
                NodeObservation observation = entry.getValue();
                Instant observedAt = observation.observedAt();
                reachableRows.add(MultiGauge.Row.of(nodeTags, observation.reachable() ? 1 : 0));
                ageRows.add(MultiGauge.Row.of(nodeTags, observedAt,
                        at -> Math.max(0, Duration.between(at, clock.instant()).toMillis()) / 1000.0));
                NodeSnapshot snapshot = observation.snapshot();
                if (snapshot == null) {
                    continue;
                }
                if (snapshot.gate() != null) {
                    droppedRows.add(MultiGauge.Row.of(nodeTags, snapshot.gate().droppedPackets()));
                }
                if (snapshot.udp() != null) {
                    sentRows.add(MultiGauge.Row.of(nodeTags, sent(snapshot.udp().udp4()) + sent(snapshot.udp().udp6())));
                }
                if (snapshot.service() != null) {
                    nfoRows.add(MultiGauge.Row.of(nodeTags, snapshot.service().running() ? 1 : 0));
                }
            }
            for (Map.Entry<String, NodeReading> entry : state.readings().entrySet()) {
                if (entry.getValue().drbd() == null) {
                    continue;
                }
                for (DrbdResource resource : entry.getValue().drbd().resources()) {
                    for (DrbdConnection connection : resource.connections()) {
                        for (DrbdPeerDevice peer : connection.peerDevices()) {
                            if (peer.percentInSync().isPresent()) {
                                drbdRows.add(MultiGauge.Row.of(pairTag.and("node", entry.getKey(), "resource", resource.name()),
                                        peer.percentInSync().getAsDouble()));
                            }
                        }
                    }
                }
            }
        }
        health.register(healthRows, true);
        survives.register(survivalRows, true);
        findings.register(findingRows, true);
        role.register(roleRows, true);
        reachable.register(reachableRows, true);
        dataAge.register(ageRows, true);
        readiness.register(readinessRows, true);
        gateDropped.register(droppedRows, true);
        udpSent.register(sentRows, true);
        nfoUp.register(nfoRows, true);
        drbdInSync.register(drbdRows, true);
        forgetOperationsOfRemovedPairs(pairs.stream().map(ClusterView::name).collect(Collectors.toSet()));
    }

    private record FindingKey(String kind, String severity) {
    }

    private static long sent(UdpCounters counters) {
        return counters == null ? 0 : counters.outDatagrams();
    }

    /**
     * Zeros for every kind and outcome, so Prometheus sees a counter's first increase (a series that appears at 1
     * has no increase) and the rules' metric exists before the first operation.
     */
    private void preregisterOperations(String pair) {
        for (OperationKind kind : OperationKind.values()) {
            for (OperationView.Status outcome : Set.of(OperationView.Status.SUCCEEDED, OperationView.Status.FAILED)) {
                OperationRunner.ended(meters, pair, kind, outcome);
            }
        }
    }

    private void forgetOperationsOfRemovedPairs(Set<String> pairs) {
        for (Meter meter : meters.find(OperationRunner.ENDED_METRIC).meters()) {
            String pair = meter.getId().getTag("pair");
            if (pair != null && !pairs.contains(pair)) {
                meters.remove(meter);
            }
        }
    }
}
