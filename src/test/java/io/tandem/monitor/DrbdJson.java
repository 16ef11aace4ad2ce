package io.tandem.monitor;

import java.util.Locale;

/** Writes {@code drbdsetup status --json --verbose --statistics} for one DRBD 9 resource with one peer. */
final class DrbdJson {

    private DrbdJson() {
    }

    /** A connected, established resource: the healthy state. */
    static String established(String peer, String role, String peerRole) {
        return status(role, "UpToDate", peer, "Connected", peerRole, "Established", "UpToDate", null, null);
    }

    static String status(String role, String disk, String peer, String connection, String peerRole,
            String replication, String peerDisk, Double percentDone, Long etaSeconds) {
        String resync = percentDone == null ? "" : String.format(Locale.ROOT,
                ", \"rs-total\": 307152, \"percent-resync-done\": %.2f, \"estimated-seconds-to-finish\": %d",
                percentDone, etaSeconds);
        return """
                [ {
                  "name": "nfo-config", "node-id": 1, "role": "%s", "suspended": false, "write-ordering": "flush",
                  "devices": [ { "volume": 0, "minor": 0, "disk-state": "%s", "client": false, "quorum": true, "size": 307152 } ],
                  "connections": [ {
                    "peer-node-id": 2, "name": "%s", "connection-state": "%s", "congested": false, "peer-role": "%s",
                    "peer_devices": [ { "volume": 0, "replication-state": "%s", "peer-disk-state": "%s",
                      "peer-client": false, "resync-suspended": "no", "out-of-sync": 0, "has-sync-details": %s%s } ]
                  } ]
                } ]
                """.formatted(role, disk, peer, connection, peerRole, replication, peerDisk, percentDone != null, resync);
    }
}
