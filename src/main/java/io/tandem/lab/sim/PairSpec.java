package io.tandem.lab.sim;

import java.util.List;
import java.util.Objects;

import io.tandem.pacemaker.ClusterCommand;

/**
 * The shape of a simulated pair: mode, the two node names, Pacemaker resource ids, the NFO systemd unit and the
 * DRBD resource (Cold). Hot: NFO cloned on both nodes, VIP and gate on the active. Cold: DRBD promotable clone,
 * then Filesystem, VIP, NFO and gate only where DRBD is Promoted.
 *
 * @param migrationThreshold failures of a resource on a node before Pacemaker moves it away (Pacemaker's
 *        migration-threshold)
 * @param drbdSizeKib, drbdWriteKibPerSecond, drbdResyncKibPerSecond the simulated volume, how fast the Primary
 *        dirties blocks while the peer is away, and how fast a resync copies them
 */
public record PairSpec(Mode mode, List<String> nodes, String nfo, String vip, String gate, String drbd,
                       String filesystem, String unit, String drbdResource, int migrationThreshold,
                       long drbdSizeKib, long drbdWriteKibPerSecond, long drbdResyncKibPerSecond) {

    public enum Mode { HOT, COLD }

    public PairSpec {
        Objects.requireNonNull(mode, "mode");
        nodes = List.copyOf(nodes);
        if (nodes.size() != 2 || nodes.get(0).equals(nodes.get(1))) {
            throw new IllegalArgumentException("a pair has two distinct nodes");
        }
        nodes.forEach(n -> require(ClusterCommand.NODE_NAME.matcher(n).matches(), "not a node name: " + n));
        for (String id : List.of(nfo, vip, gate, drbd, filesystem, drbdResource)) {
            require(id != null && ClusterCommand.RESOURCE_ID.matcher(id).matches(), "not a resource id: " + id);
        }
        require(unit != null && unit.matches("[A-Za-z0-9:_.@-]{1,255}") && !unit.startsWith("-"),
                "not a unit name: " + unit);
        require(migrationThreshold >= 1, "migration threshold must be positive");
        require(drbdSizeKib > 0 && drbdWriteKibPerSecond >= 0 && drbdResyncKibPerSecond > 0, "bad DRBD rates");
    }

    /**
     * The defaults of the demo: resources {@code nfo}, {@code vip}, {@code gate}, {@code fs} and DRBD's {@code r0}, whose
     * Pacemaker primitive is named after it as setup names it (promotable clone {@code r0-clone}).
     */
    public static PairSpec of(Mode mode, String first, String second) {
        return new PairSpec(mode, List.of(first, second), "nfo", "vip", "gate", "r0", "fs", "nfo", "r0", 3,
                1024 * 1024, 1024, 4096);
    }

    public String nfoClone() {
        return nfo + "-clone";
    }

    public String drbdClone() {
        return drbd + "-clone";
    }

    public String peerOf(String node) {
        return nodes.get(0).equals(node) ? nodes.get(1) : nodes.get(0);
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
