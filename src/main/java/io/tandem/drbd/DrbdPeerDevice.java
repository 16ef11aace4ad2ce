package io.tandem.drbd;

import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * One volume as replicated to one peer: the replication state, what DRBD knows of the peer's disk, how much is out
 * of sync, and resync progress while one runs.
 */
public record DrbdPeerDevice(
        int volume,
        ReplicationState replication,
        DiskState peerDiskState,
        OptionalLong outOfSyncKib,
        OptionalDouble percentInSync,
        Optional<ResyncProgress> resync) {
}
