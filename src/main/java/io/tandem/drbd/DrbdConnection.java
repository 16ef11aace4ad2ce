package io.tandem.drbd;

import java.util.List;
import java.util.OptionalInt;

/**
 * This node's connection to one peer for a resource, with the peer's role and per-volume replication.
 * {@code splitBrainReported} is set when DRBD ran its split-brain handler for this peer (seen in {@code events2})
 * and stays set until the connection is re-established.
 */
public record DrbdConnection(
        String peerName,
        OptionalInt peerNodeId,
        ConnectionState state,
        DrbdRole peerRole,
        boolean congested,
        boolean splitBrainReported,
        List<DrbdPeerDevice> peerDevices) {

    public DrbdConnection {
        peerDevices = List.copyOf(peerDevices);
    }

    public boolean isConnected() {
        return state == ConnectionState.CONNECTED;
    }
}
