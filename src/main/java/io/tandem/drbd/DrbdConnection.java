package io.tandem.drbd;

import java.util.List;
import java.util.OptionalInt;

/** This node's connection to one peer for a resource, with the peer's role and per-volume replication. */
public record DrbdConnection(
        String peerName,
        OptionalInt peerNodeId,
        ConnectionState state,
        DrbdRole peerRole,
        boolean congested,
        List<DrbdPeerDevice> peerDevices) {

    public DrbdConnection {
        peerDevices = List.copyOf(peerDevices);
    }

    public boolean isConnected() {
        return state == ConnectionState.CONNECTED;
    }
}
