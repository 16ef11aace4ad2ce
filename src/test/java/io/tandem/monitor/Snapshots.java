package io.tandem.monitor;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.tandem.node.ActiveState;
import io.tandem.node.GateDestination;
import io.tandem.node.GateRule;
import io.tandem.node.GateState;
import io.tandem.node.GateStatus;
import io.tandem.node.HostFacts;
import io.tandem.node.NodeSnapshot;
import io.tandem.node.NodeSnapshot.Format;
import io.tandem.node.NodeSnapshot.PartFailure;
import io.tandem.node.NodeSnapshot.ToolOutput;
import io.tandem.node.OutputGate;
import io.tandem.node.ServiceState;
import io.tandem.node.UdpCounters;
import io.tandem.node.UdpFacts;
import io.tandem.node.UdpSocket;

/** Builds {@link NodeSnapshot}s the way the collectors deliver them, one fact at a time. */
final class Snapshots {

    static final Instant T0 = Instant.parse("2025-03-03T10:00:00Z");
    static final GateDestination SIEM = GateDestination.of("192.0.2.10", GateDestination.Transport.UDP, 514);
    private static final UdpCounters COUNTERS = new UdpCounters(1000, 0, 0, 500, 0, 0, 0);

    private Snapshots() {
    }

    static Builder node(String hostname) {
        return new Builder(hostname);
    }

    static ServiceState service(ActiveState state) {
        String sub = switch (state) {
            case ACTIVE -> "running";
            case FAILED -> "failed";
            case ACTIVATING -> "start";
            default -> "dead";
        };
        return service(state, sub, state == ActiveState.FAILED ? 1 : 0);
    }

    static ServiceState service(ActiveState state, String subState, int exitStatus) {
        boolean up = state == ActiveState.ACTIVE;
        return new ServiceState("loaded", state, subState, up ? 4242 : 0, up ? T0.minusSeconds(3600) : null, "",
                exitStatus, "disabled");
    }

    static GateState gate(GateStatus status) {
        return switch (status) {
            case BLOCKED -> new GateState(status, true,
                    List.of(new GateRule(4, SIEM, true, 1234, 98765, OutputGate.COMMENT)), List.of(), "1.0.6");
            case OPEN -> new GateState(status, true, List.of(), List.of(), "1.0.6");
            case ABSENT -> new GateState(status, false, List.of(), List.of(), "");
        };
    }

    static final class Builder {
        private final String hostname;
        private Instant takenAt = T0;
        private ServiceState service = Snapshots.service(ActiveState.ACTIVE);
        private GateState gate = Snapshots.gate(GateStatus.OPEN);
        private List<Integer> listening = List.of(9555);
        private String crmMon;
        private String constraints;
        private String drbdJson;
        private final List<PartFailure> failures = new ArrayList<>();
        private UdpCounters counters = COUNTERS;
        private io.tandem.netflow.TemplateSnapshot templates;
        private io.tandem.node.GateAgentFacts gateAgent;
        /** An agent node reports its build; by default the same as this console's, as after an install or upgrade. */
        private String agentVersion = io.tandem.node.Version.ofThisBuild();

        private Builder(String hostname) {
            this.hostname = hostname;
        }

        Builder service(ActiveState state) {
            this.service = Snapshots.service(state);
            return this;
        }

        Builder service(ServiceState state) {
            this.service = state;
            return this;
        }

        Builder gate(GateStatus status) {
            this.gate = Snapshots.gate(status);
            return this;
        }

        Builder gate(GateState state) {
            this.gate = state;
            return this;
        }

        Builder takenAt(Instant at) {
            this.takenAt = at;
            return this;
        }

        /** The host's UDP counters: datagrams received and sent since boot. */
        Builder udp(long inDatagrams, long outDatagrams) {
            this.counters = new UdpCounters(inDatagrams, 0, 0, outDatagrams, 0, 0, 0);
            return this;
        }

        /** A blocked gate whose drop rule has matched {@code dropped} packets. */
        Builder blockedHavingDropped(long dropped) {
            this.gate = new GateState(GateStatus.BLOCKED, true,
                    List.of(new GateRule(4, SIEM, true, dropped, dropped * 300, OutputGate.COMMENT)), List.of(), "1.0.6");
            return this;
        }

        Builder templates(io.tandem.netflow.TemplateSnapshot templates) {
            this.templates = templates;
            return this;
        }

        Builder gateAgent(io.tandem.node.GateAgentFacts installed) {
            this.gateAgent = installed;
            return this;
        }

        /** The build the node's agent reports; null for an agent from before it said. */
        Builder agentVersion(String version) {
            this.agentVersion = version;
            return this;
        }

        Builder listening(Integer... ports) {
            this.listening = List.of(ports);
            return this;
        }

        Builder crmMon(String xml) {
            this.crmMon = xml;
            return this;
        }

        Builder constraints(String xml) {
            this.constraints = xml;
            return this;
        }

        Builder drbd(String json) {
            this.drbdJson = json;
            return this;
        }

        /** A part the node could not read: it is null in the snapshot and listed in its failures. */
        Builder unreadable(String part, String reason, String message) {
            failures.add(new PartFailure(part, reason, message));
            switch (part) {
                case "service" -> service = null;
                case "gate" -> gate = null;
                case "pacemaker" -> crmMon = null;
                case "drbd" -> drbdJson = null;
                default -> throw new IllegalArgumentException(part);
            }
            return this;
        }

        NodeSnapshot build() {
            List<UdpSocket> sockets = listening.stream()
                    .map(port -> new UdpSocket("udp", "0.0.0.0", port, 0, 0, 0, 9000 + port, 0)).toList();
            return new NodeSnapshot(takenAt, new HostFacts(hostname, Duration.ofDays(3), "6.1.0-18-amd64", takenAt),
                    service, new UdpFacts(sockets, counters, null), gate,
                    crmMon == null ? null : new ToolOutput(Format.CRM_MON_XML, crmMon),
                    constraints == null ? null : new ToolOutput(Format.CIB_CONSTRAINTS_XML, constraints),
                    drbdJson == null ? null : new ToolOutput(Format.DRBD_STATUS_JSON, drbdJson),
                    templates, failures, gateAgent, agentVersion);
        }
    }
}
