package io.tandem.monitor.web;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.tandem.drbd.DrbdConnection;
import io.tandem.drbd.DrbdPeerDevice;
import io.tandem.drbd.DrbdResource;
import io.tandem.drbd.DrbdStatus;
import io.tandem.monitor.NodeReading;
import io.tandem.monitor.PairStates;
import io.tandem.netflow.ParityReport;
import io.tandem.node.NodeSnapshot;
import io.tandem.pacemaker.ClusterStatus;
import io.tandem.pacemaker.CrmMonResult;
import io.tandem.pacemaker.Resource;

/**
 * The pair page's detail panels in display form: what each node reports, Pacemaker's resources and
 * leftover constraints, the template parity table and DRBD's replication, from the latest observations.
 */
public record PairDetails(List<NodeDetail> nodes, List<ResourceRow> resources, List<String> leftoverConstraints,
                   List<ParityRow> parity, List<DrbdRow> drbd, String pacemakerFrom, DataAge pacemakerAge,
                   PacemakerSummary pacemaker) {

    /**
     * The cluster's own state as the reporting node's crm_mon gave it: who coordinates (DC), quorum, fencing, each
     * member's standby and maintenance, and the fail counts that make Pacemaker move a resource away.
     */
    public record PacemakerSummary(String dc, boolean quorum, boolean stonithEnabled, List<String> fencingDevices,
                                   boolean maintenanceMode, List<MemberRow> members, List<FailCountRow> failCounts) {
    }

    public record MemberRow(String name, String state, boolean standby, boolean maintenance, boolean dc) {
    }

    public record FailCountRow(String resource, String node, String count, String threshold) {
    }

    /** One line per node whose DRBD state comes from one of Tandem's stand-ins rather than DRBD (once per node, not per row). */
    public List<String> simulatedDrbd() {
        return drbd.stream().filter(d -> d.simulatedBy() != null)
                .map(d -> "Not real DRBD on " + d.node() + ": " + d.simulatedBy()).distinct().toList();
    }

    /**
     * One row of the nodes table; a node that could not be read keeps its row, saying so, instead of disappearing.
     *
     * @param role the derived role (ACTIVE, UNKNOWN, UNREACHABLE, ...), apart from whether NFO's process runs
     * @param nfoProcess whether NFO's process runs, in words: "running", "not running", "not read"
     * @param read false when the node's latest reading failed: the other columns then say "not read"
     * @param age how old this node's reading is: each node is read on its own, so one can be stale alone
     */
    public record NodeDetail(String node, String role, String nfoProcess, String service, String uptime, String gate,
                             String flowSockets, String templates, List<String> unreadable, DataAge age, boolean read) {
    }

    public record ResourceRow(String id, String agent, String role, String nodes, boolean failed) {
    }

    /** @param kind missing, conflict or stale */
    public record ParityRow(String kind, String exporter, long domain, int templateId, String detail) {
    }

    /** @param simulatedBy what stands in for DRBD on this node (Tandem's demo or lab), or null for real DRBD */
    public record DrbdRow(String node, String resource, String role, String disk, String peer, String connection,
                   String replication, String peerDisk, Double percentInSync, String eta, Long outOfSyncKib, boolean stale,
                   String simulatedBy) {
    }

    static PairDetails of(PairStates.PairState state, Instant now, Duration freshness) {
        List<NodeDetail> nodes = new ArrayList<>();
        List<ResourceRow> resources = new ArrayList<>();
        List<String> leftovers = new ArrayList<>();
        List<DrbdRow> drbd = new ArrayList<>();
        String pacemakerFrom = null;
        DataAge pacemakerAge = null;
        PacemakerSummary pacemaker = null;
        for (Map.Entry<String, NodeReading> entry : new java.util.TreeMap<>(state.readings()).entrySet()) {
            NodeReading reading = entry.getValue();
            NodeSnapshot snapshot = reading.observation().snapshot();
            DataAge age = DataAge.of(reading.observation(), now, freshness);
            String role = state.health().node(entry.getKey()).role().name();
            if (snapshot == null) {
                nodes.add(notRead(entry.getKey(), role, reading.observation(), state.lastKnown(entry.getKey()).orElse(null), age));
                continue;
            }
            nodes.add(node(entry.getKey(), role, snapshot, age));
            if (pacemaker == null) {
                pacemaker = summary(reading);
            }
            if (resources.isEmpty()) {
                resources.addAll(resources(reading));
                leftovers.addAll(leftovers(reading));
                if (!resources.isEmpty()) {
                    pacemakerFrom = entry.getKey();
                    pacemakerAge = age;
                }
            }
            drbd.addAll(drbd(entry.getKey(), reading.drbd(), age.stale()));
        }
        return new PairDetails(nodes, resources, leftovers, parity(state.parity(), now), drbd, pacemakerFrom, pacemakerAge, pacemaker);
    }

    private static NodeDetail node(String name, String role, NodeSnapshot s, DataAge age) {
        String process = s.service() == null ? "not read" : s.service().running() ? "running" : "not running";
        String service = s.service() == null ? "not read"
                : s.service().state().name().toLowerCase(java.util.Locale.ROOT)
                        + (s.service().subState().isEmpty() ? "" : " (" + s.service().subState() + ")")
                        + (s.service().mainPid() > 0 ? ", pid " + s.service().mainPid() : "");
        String uptime = s.host() == null ? "not read" : human(s.host().uptime());
        String gate = s.gate() == null ? "not read" : s.gate().status().name() + " (" + s.gate().droppedPackets() + " dropped)";
        String sockets = s.udp() == null ? "not read" : s.udp().sockets().size() + " (" + s.udp().socketDrops() + " drops)";
        return new NodeDetail(name, role, process, service, uptime, gate, sockets,
                s.templates() == null ? "no capture" : s.templates().size() + " templates",
                s.failures().stream().map(f -> f.part() + ": " + f.reason()).toList(), age, true);
    }

    /** A node whose latest reading failed: its row stays and says since when, why, and what it last was. */
    static NodeDetail notRead(String name, String role, io.tandem.monitor.NodeObservation observation,
                              PairStates.LastKnown last, DataAge age) {
        String why = observation.neverRead() ? "not read yet"
                : last == null ? "not read at " + TIME.format(observation.observedAt()) + " UTC: " + observation.failure().reason()
                : "not read since " + TIME.format(last.at()) + " UTC (" + observation.failure().reason() + "); last known "
                        + last.role() + " at " + TIME.format(last.at()) + " UTC";
        return new NodeDetail(name, role, "not read", why, "not read", "not read", "not read", "not read",
                observation.neverRead() ? List.of() : List.of(observation.failure().message()), age, false);
    }

    private static final java.time.format.DateTimeFormatter TIME =
            java.time.format.DateTimeFormatter.ofPattern("HH:mm:ss").withZone(java.time.ZoneOffset.UTC);

    /** Pacemaker's resources as the node saw them; none when its output was absent or unreadable (a finding says so). */
    private static List<ResourceRow> resources(NodeReading reading) {
        if (reading.pacemaker() instanceof CrmMonResult.Running running && running.status().isPresent()) {
            ClusterStatus status = running.status().get();
            List<ResourceRow> rows = new ArrayList<>();
            for (Resource.Primitive p : status.primitives()) {
                rows.add(new ResourceRow(p.id(), p.agent(), String.valueOf(p.role()),
                        p.nodes().isEmpty() ? "stopped" : String.join(", ", p.nodes()), p.failed()));
            }
            return rows;
        }
        return List.of();
    }

    private static PacemakerSummary summary(NodeReading reading) {
        if (!(reading.pacemaker() instanceof CrmMonResult.Running running) || running.status().isEmpty()) {
            return null;
        }
        ClusterStatus status = running.status().get();
        List<MemberRow> members = status.nodes().stream().map(n -> new MemberRow(n.name(),
                n.unclean() ? "UNCLEAN" : n.online() ? "online" : n.pending() ? "pending" : "offline",
                n.standby(), n.maintenance(), n.dc())).toList();
        List<FailCountRow> fails = status.failCounts().stream().map(f -> new FailCountRow(f.resource(), f.node(), f.countText(),
                f.migrationThreshold() <= 0 ? "" : f.migrationThreshold() >= io.tandem.pacemaker.FailCount.INFINITY
                        ? "INFINITY" : String.valueOf(f.migrationThreshold()))).toList();
        return new PacemakerSummary(status.dcName().orElse(null), status.quorum(), status.options().stonithEnabled(),
                status.fencingDevices().stream().map(p -> p.id() + " (" + p.agent() + ")").toList(),
                status.options().maintenanceMode(), members, fails);
    }

    private static List<String> leftovers(NodeReading reading) {
        return reading.cib() == null ? List.of() : reading.cib().leftoverMoves().stream().map(c -> c.id()).toList();
    }

    private static List<DrbdRow> drbd(String node, DrbdStatus status, boolean stale) {
        if (status == null) {
            return List.of();
        }
        List<DrbdRow> rows = new ArrayList<>();
        for (DrbdResource resource : status.resources()) {
            String disk = resource.devices().isEmpty() ? "?" : String.valueOf(resource.devices().get(0).diskState());
            for (DrbdConnection connection : resource.connections()) {
                DrbdPeerDevice peer = connection.peerDevices().isEmpty() ? null : connection.peerDevices().get(0);
                rows.add(new DrbdRow(node, resource.name(), String.valueOf(resource.role()), disk, connection.peerName(),
                        String.valueOf(connection.state()), peer == null ? "?" : String.valueOf(peer.replication()),
                        peer == null ? "?" : String.valueOf(peer.peerDiskState()),
                        peer == null || peer.percentInSync().isEmpty() ? null : peer.percentInSync().getAsDouble(),
                        peer == null ? null : peer.resync().flatMap(r -> r.etaSeconds().isPresent()
                                ? java.util.Optional.of(human(Duration.ofSeconds(r.etaSeconds().getAsLong()))) : java.util.Optional.empty()).orElse(null),
                        peer == null || peer.outOfSyncKib().isEmpty() ? null : peer.outOfSyncKib().getAsLong(), stale,
                        resource.simulatedBy().orElse(null)));
            }
        }
        return rows;
    }

    private static List<ParityRow> parity(ParityReport parity, Instant now) {
        if (parity == null) {
            return List.of();
        }
        List<ParityRow> rows = new ArrayList<>();
        parity.missingOnPassive().forEach(g -> rows.add(new ParityRow("missing on passive", g.key().exporter().toString(), g.key().domain(),
                g.key().templateId(), g.kind() + ", " + String.format(java.util.Locale.ROOT, "%.1f records/s on the active", g.recordsPerSecond()))));
        parity.conflicts().forEach(c -> rows.add(new ParityRow("conflict", c.key().exporter().toString(), c.key().domain(), c.key().templateId(),
                c.fieldDiff().size() + " field(s) differ" + (c.fieldDiff().isEmpty() ? "" : ", first at position " + c.fieldDiff().get(0).position()))));
        parity.stale().forEach(st -> rows.add(new ParityRow("stale on " + st.side().name().toLowerCase(), st.key().exporter().toString(),
                st.key().domain(), st.key().templateId(), "last seen " + human(Duration.ofMillis(Math.max(0, now.toEpochMilli() - st.lastSeenMillis()))) + " ago")));
        parity.missingOnActive().forEach(g -> rows.add(new ParityRow("only on passive", g.key().exporter().toString(), g.key().domain(),
                g.key().templateId(), String.valueOf(g.kind()))));
        return rows;
    }

    static String human(Duration duration) {
        long seconds = duration.toSeconds();
        if (seconds < 120) {
            return seconds + " s";
        }
        if (seconds < 7200) {
            return duration.toMinutes() + " min";
        }
        return duration.toDays() > 1 ? duration.toDays() + " d " + duration.toHoursPart() + " h" : duration.toHours() + " h";
    }
}
