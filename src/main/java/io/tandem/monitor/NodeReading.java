package io.tandem.monitor;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.tandem.drbd.DrbdParseException;
import io.tandem.drbd.DrbdResource;
import io.tandem.drbd.DrbdStatus;
import io.tandem.node.NodeSnapshot;
import io.tandem.pacemaker.Cib;
import io.tandem.pacemaker.ClusterStatus;
import io.tandem.pacemaker.CrmMonResult;
import io.tandem.pacemaker.PacemakerParseException;

/**
 * One observation with its tool outputs parsed once, so every rule reads the same parse and an unreadable part is
 * reported once. Parts are null when absent, unreadable or the node was not reached.
 *
 * @param unreadable "part: reason: message" for every part the node could not read or Tandem could not parse
 */
public record NodeReading(NodeObservation observation, CrmMonResult pacemaker, Cib cib, DrbdStatus drbd,
        List<String> unreadable) {

    static NodeReading of(NodeObservation observation) {
        NodeSnapshot snapshot = observation.snapshot();
        if (snapshot == null) {
            return new NodeReading(observation, null, null, null, List.of());
        }
        List<String> unreadable = new ArrayList<>();
        snapshot.failures().forEach(f -> unreadable.add(f.part() + ": " + f.reason() + ": " + f.message()));
        CrmMonResult pacemaker = null;
        Cib cib = null;
        DrbdStatus drbd = null;
        try {
            pacemaker = snapshot.pacemaker().orElse(null);
        } catch (PacemakerParseException e) {
            unreadable.add("pacemaker: unreadable crm_mon output: " + e.getMessage());
        }
        try {
            cib = snapshot.cib().orElse(null);
        } catch (PacemakerParseException e) {
            unreadable.add("constraints: unreadable CIB: " + e.getMessage());
        }
        try {
            drbd = snapshot.drbdStatus().orElse(null);
        } catch (DrbdParseException e) {
            unreadable.add("drbd: unreadable DRBD status: " + e.getMessage());
        }
        return new NodeReading(observation, pacemaker, cib, drbd, List.copyOf(unreadable));
    }

    String node() {
        return observation.node();
    }

    NodeSnapshot snapshot() {
        return observation.snapshot();
    }

    boolean reachable() {
        return observation.reachable();
    }

    public Optional<ClusterStatus> clusterStatus() {
        return pacemaker == null ? Optional.empty() : pacemaker.status();
    }

    Optional<DrbdResource> drbdResource(String name) {
        return drbd == null || name == null ? Optional.empty() : drbd.resource(name);
    }

    /** The node's name as Pacemaker knows it: the fleet name, or the host name when only that is a member. */
    public String pacemakerName(ClusterStatus status) {
        if (status.node(node()).isPresent() || snapshot() == null || snapshot().host() == null) {
            return node();
        }
        String hostname = snapshot().host().hostname();
        return status.node(hostname).isPresent() ? hostname : node();
    }
}
