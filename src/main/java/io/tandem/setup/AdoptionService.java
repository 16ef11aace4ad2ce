package io.tandem.setup;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

import org.springframework.stereotype.Service;

import io.tandem.access.NodeConnections;
import io.tandem.console.Rejected;
import io.tandem.drbd.DrbdParseException;
import io.tandem.drbd.DrbdResource;
import io.tandem.fleet.ClusterSpec;
import io.tandem.fleet.ClusterView;
import io.tandem.fleet.FleetService;
import io.tandem.monitor.NodeObservation;
import io.tandem.monitor.PairStates;
import io.tandem.node.GateDestination;
import io.tandem.node.GateRule;
import io.tandem.node.NodeAccessException;
import io.tandem.node.NodeSnapshot;
import io.tandem.node.ServiceState;
import io.tandem.pacemaker.Cib;
import io.tandem.pacemaker.ClusterStatus;
import io.tandem.pacemaker.PacemakerParseException;
import io.tandem.setup.Adoption.Mapping;
import io.tandem.setup.AdoptionJudge.ClusterReading;

/**
 * Adopting a pair's existing cluster: the proposal (read only, from what the monitor last read of each node, or a
 * read now when it has nothing), and its acceptance, which saves the names into the pair once the cluster is still
 * as proposed. Nothing here changes a node; node reads run outside any transaction (ADR 0011).
 */
@Service
public class AdoptionService {

    /** What an acceptance sends back: the proposal it was checked against. */
    private static final Pattern TOKEN = Pattern.compile("([0-9a-f]{24})\\.(\\d{1,18})");

    private final FleetService fleet;
    private final PairStates states;
    private final NodeConnections connections;

    AdoptionService(FleetService fleet, PairStates states, NodeConnections connections) {
        this.fleet = fleet;
        this.states = states;
        this.connections = connections;
    }

    /**
     * The body of {@code POST .../setup/adopt}: without {@code accept} (or false) a proposal; with it, the mapping to save
     * and the proposal's token.
     */
    public record Request(Boolean accept, String token, Mapping mapping) {
        public boolean accepting() {
            return Boolean.TRUE.equals(accept);
        }
    }

    /** @param pair the pair after adoption; null for a proposal */
    public record Answer(boolean accepted, Adoption proposal, ClusterView pair) {
    }

    /** The monitor's latest readings show Pacemaker running on a node of the pair: the wizard offers adopt. */
    public boolean clusterSeen(UUID clusterId) {
        return states.state(clusterId).map(s -> s.readings().values().stream().anyMatch(r -> r.clusterStatus().isPresent()))
                .orElse(false);
    }

    public Answer adopt(UUID clusterId, Request request) {
        return request != null && request.accepting() ? accept(clusterId, request) : new Answer(false, propose(clusterId), null);
    }

    /** 409 {@code no-cluster} when neither node runs Pacemaker: there is nothing to adopt. */
    public Adoption propose(UUID clusterId) {
        ClusterView pair = fleet.get(clusterId);
        return AdoptionJudge.judge(pair, read(pair));
    }

    private Answer accept(UUID clusterId, Request request) {
        var token = request.token() == null ? null : TOKEN.matcher(request.token().strip());
        if (token == null || !token.matches()) {
            throw Rejected.invalid("invalid-adoption", "token", "Send the token of the proposal you accept (POST .../setup/adopt "
                    + "without a body gives one).");
        }
        Mapping mapping = request.mapping();
        if (mapping == null) {
            throw Rejected.invalid("invalid-adoption", "mapping", "Send the mapping to save: mode, nfoResource, vipResource, "
                    + "gateResource (and drbdResource for COLD), as the proposal's 'proposed'.");
        }
        ClusterView pair = fleet.get(clusterId);
        ClusterSpec names = new ClusterSpec(null, mapping.mode(), null, mapping.nfoResource(), mapping.vipResource(),
                mapping.gateResource(), mapping.drbdResource(), null);
        ClusterReading reading = read(pair);
        Adoption now = AdoptionJudge.judge(pair, reading);
        String proposedShape = token.group(1);
        if (!now.token().startsWith(proposedShape + ".")) {
            throw Rejected.conflict("cluster-changed", "token", "The cluster changed since that proposal (its resources, constraints "
                    + "or fencing, read on " + now.readFrom() + "): read the proposal again and check it before accepting.");
        }
        requireInCluster(mapping, reading);
        Map<String, Object> evidence = new LinkedHashMap<>();
        evidence.put("readFrom", now.readFrom());
        evidence.put("proposal", request.token().strip());
        evidence.put("differences", now.differences().stream().map(Adoption.Difference::id).toList());
        ClusterView adopted = fleet.adopt(clusterId, names, Long.parseLong(token.group(2)), evidence);
        return new Answer(true, now, adopted);
    }

    /** Every name given must be one the cluster has now; the DRBD resource one the nodes report. */
    private static void requireInCluster(Mapping mapping, ClusterReading reading) {
        Set<String> ids = AdoptionJudge.resourceIds(reading);
        List<Rejected.Violation> missing = new ArrayList<>();
        Map<String, String> given = new LinkedHashMap<>();
        given.put("nfoResource", mapping.nfoResource());
        given.put("vipResource", mapping.vipResource());
        given.put("gateResource", mapping.gateResource());
        if (mapping.nfoResource() == null || mapping.nfoResource().isBlank()) {
            missing.add(new Rejected.Violation("mapping.nfoResource", "Name NFO's resource: adopting maps at least NFO."));
        }
        Set<String> seen = new LinkedHashSet<>();
        given.forEach((field, name) -> {
            if (name == null || name.isBlank()) {
                return;
            }
            if (!ids.contains(name.strip())) {
                missing.add(new Rejected.Violation("mapping." + field, "The cluster has no resource '" + abbreviate(name) + "' (read on "
                        + reading.node() + "): it has " + String.join(", ", ids) + "."));
            } else if (!seen.add(name.strip())) {
                missing.add(new Rejected.Violation("mapping." + field, "'" + name.strip() + "' is already mapped to another role."));
            }
        });
        String drbd = mapping.drbdResource();
        if (drbd != null && !drbd.isBlank() && !reading.drbdResources().contains(drbd.strip())) {
            missing.add(new Rejected.Violation("mapping.drbdResource", "The nodes report no DRBD resource '" + abbreviate(drbd)
                    + "'" + (reading.drbdResources().isEmpty() ? " (none at all)." : "; they have " + String.join(", ",
                    reading.drbdResources()) + ".")));
        }
        if (!missing.isEmpty()) {
            throw Rejected.invalid("invalid-adoption", missing);
        }
    }

    /**
     * One node's Pacemaker view (the first in the pair's order whose crm_mon shows a running cluster) and what each node
     * says of itself: the monitor's latest reading of each node, or a read now for a node it has none of.
     */
    private ClusterReading read(ClusterView pair) {
        Map<String, NodeSnapshot> snapshots = new LinkedHashMap<>();
        List<String> unread = new ArrayList<>();
        var latest = states.state(pair.id()).map(PairStates.PairState::observations).orElse(Map.of());
        for (ClusterView.NodeView node : pair.nodes()) {
            NodeSnapshot snapshot = Optional.ofNullable(latest.get(node.name())).map(NodeObservation::snapshot).orElse(null);
            if (snapshot == null) {
                try {
                    snapshot = connections.snapshot(pair.id(), node.id());
                } catch (NodeAccessException e) {
                    unread.add(node.name() + " (" + e.reason() + ": " + e.getMessage() + ")");
                    continue;
                }
            }
            snapshots.put(node.name(), snapshot);
        }
        String from = null;
        ClusterStatus status = null;
        for (Map.Entry<String, NodeSnapshot> e : snapshots.entrySet()) {
            status = running(e.getValue());
            if (status != null) {
                from = e.getKey();
                break;
            }
        }
        if (status == null) {
            throw Rejected.conflict("no-cluster", null, "Neither node shows a running Pacemaker cluster"
                    + (unread.isEmpty() ? "" : "; not read: " + String.join(", ", unread)) + ". There is nothing to adopt: set the "
                    + "pair up instead, or adopt once Pacemaker runs.");
        }
        Map<String, ServiceState> services = new LinkedHashMap<>();
        Set<String> drbd = new LinkedHashSet<>();
        Set<GateDestination> outputs = new LinkedHashSet<>();
        snapshots.forEach((node, s) -> {
            services.put(node, s.service());
            drbd.addAll(drbdResources(s));
            if (s.gate() != null) {
                s.gate().rules().stream().filter(GateRule::gateDrop).forEach(r -> outputs.add(r.destination()));
            }
        });
        Cib constraints = constraints(snapshots.get(from));
        for (NodeSnapshot other : snapshots.values()) {
            constraints = constraints != null ? constraints : constraints(other);
        }
        return new ClusterReading(from, snapshots.get(from).takenAt(), status, constraints, services, drbd, List.copyOf(outputs));
    }

    private static ClusterStatus running(NodeSnapshot snapshot) {
        try {
            return snapshot.pacemaker().flatMap(r -> r.status()).orElse(null);
        } catch (PacemakerParseException e) {
            return null;
        }
    }

    private static Cib constraints(NodeSnapshot snapshot) {
        try {
            return snapshot.cib().orElse(null);
        } catch (PacemakerParseException e) {
            return null;
        }
    }

    private static List<String> drbdResources(NodeSnapshot snapshot) {
        try {
            return snapshot.drbdStatus().map(d -> d.resources().stream().map(DrbdResource::name).toList()).orElse(List.of());
        } catch (DrbdParseException e) {
            return List.of();
        }
    }

    private static String abbreviate(String text) {
        String clean = text.strip().replaceAll("\\p{Cntrl}", "?");
        return clean.length() <= 60 ? clean : clean.substring(0, 60) + "...";
    }
}
