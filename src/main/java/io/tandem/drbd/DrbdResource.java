package io.tandem.drbd;

import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.stream.Stream;

/**
 * One DRBD resource as seen from this node, and the questions the console asks of it. DRBD 8.4 has no resource
 * names in {@code /proc/drbd}; there the name is the device minor.
 *
 * @param simulatedBy set when the status came from one of Tandem's own stand-ins (the demo lab, the Pacemaker lab's
 *                    {@code drbdsetup}) rather than DRBD: what simulates it, in the stand-in's words
 */
public record DrbdResource(
        String name,
        DrbdRole role,
        boolean suspended,
        List<DrbdDevice> devices,
        List<DrbdConnection> connections,
        Optional<String> simulatedBy) {

    /** The key a stand-in adds to a resource of {@code drbdsetup status --json}; DRBD itself never writes it. */
    public static final String SIMULATED_KEY = "tandem-simulated";

    public DrbdResource {
        devices = List.copyOf(devices);
        connections = List.copyOf(connections);
        simulatedBy = simulatedBy == null ? Optional.empty() : simulatedBy;
    }

    /** Connected to every configured peer (and there is at least one). */
    public boolean isConnected() {
        return !connections.isEmpty() && connections.stream().allMatch(DrbdConnection::isConnected);
    }

    /** Connected, and every local and every peer disk is UpToDate: the state a failover may start from. */
    public boolean isUpToDateBothSides() {
        return isConnected()
                && !devices.isEmpty() && devices.stream().allMatch(d -> d.diskState() == DiskState.UP_TO_DATE)
                && connections.stream().allMatch(c -> !c.peerDevices().isEmpty())
                && peerDevices().allMatch(p -> p.peerDiskState() == DiskState.UP_TO_DATE);
    }

    public boolean isResyncing() {
        return peerDevices().anyMatch(p -> p.replication().isResync());
    }

    /** Progress of the slowest running resync, when DRBD reports one. */
    public OptionalDouble resyncPercentDone() {
        return peerDevices().flatMap(p -> p.resync().stream()).mapToDouble(ResyncProgress::percentDone).min();
    }

    /** DRBD's estimate of the seconds until the last running resync finishes. */
    public OptionalLong resyncEtaSeconds() {
        return peerDevices().flatMap(p -> p.resync().stream())
                .flatMapToLong(r -> r.etaSeconds().stream()).max();
    }

    /**
     * Split brain as one node can see it: DRBD reported running its split-brain handler, or a connection is left
     * StandAlone while this node holds data. DRBD drops to StandAlone when it detects a split brain it may not
     * resolve automatically; an administrator's {@code drbdadm disconnect} looks the same, so the console confirms
     * with the peer's view ({@link #isSplitBrainWith}).
     */
    public boolean isSplitBrain() {
        return connections.stream().anyMatch(DrbdConnection::splitBrainReported)
                || (connections.stream().anyMatch(c -> c.state() == ConnectionState.STANDALONE)
                && devices.stream().anyMatch(d -> d.diskState().holdsData()));
    }

    /** Both nodes' views of the same resource: neither connected, both holding data, and split brain or two Primaries. */
    public boolean isSplitBrainWith(DrbdResource peerView) {
        boolean bothHoldData = devices.stream().anyMatch(d -> d.diskState().holdsData())
                && peerView.devices.stream().anyMatch(d -> d.diskState().holdsData());
        boolean bothPrimary = role == DrbdRole.PRIMARY && peerView.role == DrbdRole.PRIMARY;
        return !isConnected() && !peerView.isConnected() && bothHoldData
                && (bothPrimary || (isSplitBrain() && peerView.isSplitBrain()));
    }

    /** Anything short of fully replicated and writable: the console's "DRBD degraded" finding. */
    public boolean isDegraded() {
        return suspended || !isUpToDateBothSides();
    }

    private Stream<DrbdPeerDevice> peerDevices() {
        return connections.stream().flatMap(c -> c.peerDevices().stream());
    }
}
