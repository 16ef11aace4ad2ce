package io.tandem.monitor;

import java.util.Optional;

import io.tandem.drbd.DiskState;
import io.tandem.drbd.DrbdDevice;
import io.tandem.drbd.DrbdResource;
import io.tandem.drbd.DrbdRole;
import io.tandem.fleet.ClusterMode;
import io.tandem.fleet.ClusterView;
import io.tandem.node.ActiveState;
import io.tandem.node.GateState;
import io.tandem.node.NodeSnapshot;
import io.tandem.node.ServiceState;

/**
 * Derives a node's {@link NodeRole} from the node's own facts only. Pacemaker's opinion is deliberately not an
 * input: the point is to catch Pacemaker being wrong.
 */
public final class Roles {

    private Roles() {
    }

    /** The role of an observed node in a pair, with the facts it rests on (no Pacemaker opinion attached). */
    public static NodeState derive(NodeObservation observation, ClusterView cluster) {
        return derive(NodeReading.of(observation), cluster, null);
    }

    static NodeState derive(NodeReading reading, ClusterView cluster, PacemakerOpinion pacemaker) {
        Derived d = derive(reading, cluster);
        return new NodeState(reading.node(), d.role(), d.why(), pacemaker);
    }

    private record Derived(NodeRole role, String why) {
    }

    private static Derived derive(NodeReading reading, ClusterView cluster) {
        NodeSnapshot snapshot = reading.snapshot();
        if (snapshot == null) {
            NodeObservation.ReadFailure failure = reading.observation().failure();
            return new Derived(NodeRole.UNREACHABLE, "not read: " + failure.reason());
        }
        ServiceState service = snapshot.service();
        if (service == null) {
            return new Derived(NodeRole.UNKNOWN, "NFO service state could not be read" + partReason(snapshot, "service"));
        }
        String nfo = "NFO " + describe(service);
        if (crashed(service)) {
            return new Derived(NodeRole.FAILED, nfo);
        }
        if (service.running()) {
            GateState gate = snapshot.gate();
            if (gate == null) {
                return new Derived(NodeRole.UNKNOWN, nfo + ", output gate could not be read" + partReason(snapshot, "gate"));
            }
            return switch (gate.status()) {
                case BLOCKED -> new Derived(NodeRole.PASSIVE_HOT, nfo + ", gate BLOCKED" + gate.heldUntil()
                        .map(until -> " (held by Tandem for a handover until " + until + ")").orElse(""));
                case OPEN -> new Derived(NodeRole.ACTIVE, nfo + ", gate OPEN");
                // nothing can stop this node's output, so it counts as open: that is what the SIEM sees
                case ABSENT -> new Derived(NodeRole.ACTIVE, nfo + ", no output gate (output not gated)");
            };
        }
        if (cluster.mode() == ClusterMode.COLD) {
            Optional<DrbdResource> drbd = reading.drbdResource(cluster.drbdResource());
            if (drbd.isEmpty()) {
                return new Derived(NodeRole.STOPPED, nfo + ", no DRBD resource " + cluster.drbdResource());
            }
            String replica = "DRBD " + drbd.get().name() + " " + replicaState(drbd.get());
            return new Derived(readyColdCopy(drbd.get()) ? NodeRole.PASSIVE_COLD : NodeRole.STOPPED, nfo + ", " + replica);
        }
        return new Derived(NodeRole.STOPPED, nfo);
    }

    /** systemd's failed state, or a unit waiting to be restarted after its process died (Restart=on-failure). */
    static boolean crashed(ServiceState service) {
        return service.state() == ActiveState.FAILED
                || (service.state() == ActiveState.ACTIVATING && service.subState().equals("auto-restart"));
    }

    static boolean readyColdCopy(DrbdResource drbd) {
        return drbd.role() == DrbdRole.SECONDARY && !drbd.devices().isEmpty()
                && drbd.devices().stream().allMatch(d -> d.diskState() == DiskState.UP_TO_DATE);
    }

    /** "Secondary/UpToDate", DRBD's own way of writing role and disk. */
    static String replicaState(DrbdResource drbd) {
        String disks = drbd.devices().stream().map(DrbdDevice::diskState).map(Roles::drbdWord).distinct()
                .reduce((x, y) -> x + "," + y).orElse("no disk");
        return drbdWord(drbd.role()) + "/" + disks;
    }

    /** DRBD's spelling of its states (UpToDate, DUnknown, StandAlone) from our enum names. */
    static String drbdWord(Enum<?> state) {
        if (state == DiskState.D_UNKNOWN) {
            return "DUnknown";
        }
        StringBuilder word = new StringBuilder();
        for (String part : state.name().split("_")) {
            word.append(part.charAt(0)).append(part.substring(1).toLowerCase(java.util.Locale.ROOT));
        }
        return word.toString();
    }

    static String describe(ServiceState service) {
        String state = service.state().name().toLowerCase(java.util.Locale.ROOT);
        String sub = service.subState().isEmpty() ? "" : " (" + service.subState() + ")";
        String exit = service.state() == ActiveState.FAILED || crashed(service)
                ? ", exit status " + service.execMainStatus() : "";
        return state + sub + exit;
    }

    private static String partReason(NodeSnapshot snapshot, String part) {
        return snapshot.failure(part).map(f -> " (" + f.reason() + ")").orElse("");
    }
}
