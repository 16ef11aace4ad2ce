package io.tandem.monitor.web;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;

import io.tandem.monitor.NodeObservation;
import io.tandem.monitor.NodeRates;
import io.tandem.monitor.NodeRole;
import io.tandem.monitor.NodeState;
import io.tandem.monitor.PairStates;
import io.tandem.netflow.CachedTemplate;
import io.tandem.node.GateStatus;
import io.tandem.node.NodeSnapshot;

/**
 * The pair page's picture: exporters feeding both nodes, each node with its role, and each node's output gate
 * drawn open or blocked towards the output, with live rates. Every state is said in words as well as colour.
 *
 * @param exporters the exporter box's label, e.g. "4 exporters"
 * @param description the whole picture in one sentence, for screen readers ({@code <desc>})
 */
public record Topology(String exporters, List<NodeBox> nodes, String description) {

    /** @param gate open, ungated (no gate: output flows), blocked, closed (NFO down), unknown: also the line's css class */
    public record NodeBox(String name, String role, String roleCss, String gate, String gateLabel, String inLabel,
                          String outLabel, int y, DataAge age) {

        /** Middle of the box, where the lines meet it. */
        public int middle() {
            return y + HEIGHT / 2;
        }
    }

    static final int HEIGHT = 76;

    static Topology of(PairStates.PairState state, java.time.Instant now, java.time.Duration freshness) {
        List<NodeBox> boxes = new ArrayList<>();
        java.util.Set<String> exporters = new java.util.TreeSet<>();
        int y = 10;
        for (var entry : new TreeMap<>(state.observations()).entrySet()) {
            String name = entry.getKey();
            NodeObservation observation = entry.getValue();
            NodeState node = state.health().node(name);
            NodeSnapshot snapshot = observation.snapshot();
            if (snapshot != null && snapshot.templates() != null) {
                snapshot.templates().templates().stream().map(CachedTemplate::key).map(k -> k.exporter().toString()).forEach(exporters::add);
            }
            boxes.add(box(name, node.role(), snapshot, state.ratesOf(name), y, DataAge.of(observation, now, freshness)));
            y += HEIGHT + 24;
        }
        String exporterLabel = exporters.isEmpty() ? "exporters" : exporters.size() + (exporters.size() == 1 ? " exporter" : " exporters");
        StringBuilder description = new StringBuilder("NetFlow from " + exporterLabel + " reaches both nodes.");
        for (NodeBox box : boxes) {
            description.append(' ').append(box.name()).append(" is ").append(box.role())
                    .append(box.age().stale() ? " (data " + box.age().label() + ")" : "").append(", ").append(box.gateLabel())
                    .append(", ").append(box.inLabel()).append(", ").append(box.outLabel()).append('.');
        }
        return new Topology(exporterLabel, boxes, description.toString());
    }

    private static NodeBox box(String name, NodeRole role, NodeSnapshot snapshot, NodeRates rates, int y, DataAge age) {
        String gate;
        String gateLabel;
        // only what was read is drawn: an unread gate or NFO state is "?", never a guess
        if (snapshot == null) {
            gate = "unknown";
            gateLabel = "not read";
        } else if (snapshot.gate() == null) {
            gate = "unknown";
            gateLabel = "output gate not read";
        } else if (snapshot.gate().status() == GateStatus.BLOCKED) {
            gate = "blocked";
            gateLabel = "output blocked";
        } else if (snapshot.service() == null) {
            gate = "unknown";
            gateLabel = "gate " + snapshot.gate().status() + ", NFO state not read";
        } else if (!snapshot.service().running()) {
            gate = "closed";
            gateLabel = snapshot.gate().status() == GateStatus.ABSENT ? "no output gate, NFO not running" : "gate open, NFO not running";
        } else if (snapshot.gate().status() == GateStatus.ABSENT) {
            gate = "ungated";
            gateLabel = "no output gate: output not gated";
        } else {
            gate = "open";
            gateLabel = "output open";
        }
        String in = rates.recordsIn() != null ? perSecond(rates.recordsIn(), "records in")
                : rates.datagramsIn() != null ? perSecond(rates.datagramsIn(), "host datagrams in") : "rate not measured yet";
        String out = switch (gate) {
            case "blocked" -> rates.heldBack() == null ? "held back: not measured yet" : perSecond(rates.heldBack(), "packets held back");
            case "open", "ungated" -> rates.datagramsOut() == null ? "out: not measured yet" : perSecond(rates.datagramsOut(), "host datagrams out");
            default -> "nothing sent";
        };
        return new NodeBox(name, role.name(), "role-" + role.name().toLowerCase(Locale.ROOT), gate, gateLabel, in, out, y, age);
    }

    private static String perSecond(double value, String what) {
        return String.format(Locale.ROOT, value >= 100 ? "%.0f %s/s" : "%.1f %s/s", value, what);
    }
}
