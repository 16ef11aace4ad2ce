package io.tandem.lab.sim;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One DRBD 9 resource replicated between the pair's two nodes. While the peers are apart the Primary dirties
 * blocks at the write rate and the peer is marked Outdated (as resource-level fencing does); when they reconnect
 * the UpToDate side resyncs the dirty blocks at the resync rate, the target Inconsistent until done. Answers
 * {@code drbdsetup status --json --verbose --statistics} in DRBD 9's shape. Not thread-safe: the pair guards it.
 */
final class SimulatedDrbd {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final PairSpec spec;
    private final Map<String, String> disk = new HashMap<>();
    private boolean linkBroken;
    private double outOfSyncKib;
    private double resyncTotalKib;
    private String syncSource;

    SimulatedDrbd(PairSpec spec) {
        this.spec = spec;
        spec.nodes().forEach(n -> disk.put(n, "UpToDate"));
    }

    void breakLink() {
        linkBroken = true;
    }

    void repairLink() {
        linkBroken = false;
    }

    boolean linkBroken() {
        return linkBroken;
    }

    boolean canPromote(String node) {
        return "UpToDate".equals(disk.get(node));
    }

    boolean resyncing() {
        return syncSource != null;
    }

    void advance(long millis, String primary, Set<String> online) {
        double seconds = millis / 1000.0;
        if (!connected(online)) {
            syncSource = null; // an interrupted resync starts over from the bitmap on reconnect
            if (primary != null) {
                outOfSyncKib = Math.min(spec.drbdSizeKib(), outOfSyncKib + spec.drbdWriteKibPerSecond() * seconds);
                String peer = spec.peerOf(primary);
                if (outOfSyncKib > 0 && "UpToDate".equals(disk.get(peer))) {
                    disk.put(peer, "Outdated");
                }
            }
            return;
        }
        if (syncSource == null && outOfSyncKib > 0) {
            syncSource = primary != null ? primary
                    : spec.nodes().stream().filter(this::canPromote).findFirst().orElse(null);
            if (syncSource == null) {
                return; // neither side has good data: DRBD waits for an operator
            }
            resyncTotalKib = outOfSyncKib;
            disk.put(spec.peerOf(syncSource), "Inconsistent");
        }
        if (syncSource != null) {
            outOfSyncKib = Math.max(0, outOfSyncKib - spec.drbdResyncKibPerSecond() * seconds);
            if (outOfSyncKib == 0) {
                disk.put(spec.peerOf(syncSource), "UpToDate");
                syncSource = null;
                resyncTotalKib = 0;
            }
        }
    }

    private boolean connected(Set<String> online) {
        return !linkBroken && online.containsAll(spec.nodes());
    }

    String statusJson(String node, String primary, Set<String> online) {
        String peer = spec.peerOf(node);
        boolean connected = connected(online);
        ObjectNode resource = JSON.createObjectNode();
        resource.put("name", spec.drbdResource());
        resource.put("node-id", spec.nodes().indexOf(node));
        resource.put("role", node.equals(primary) ? "Primary" : "Secondary");
        resource.put("suspended", false);
        resource.put("write-ordering", "flush");
        resource.put(io.tandem.drbd.DrbdResource.SIMULATED_KEY, "Tandem demo lab: DRBD simulated in the console's JVM");
        ObjectNode device = resource.putArray("devices").addObject();
        device.put("volume", 0);
        device.put("minor", 0);
        device.put("disk-state", disk.get(node));
        device.put("client", false);
        device.put("quorum", true);
        device.put("size", spec.drbdSizeKib());
        ObjectNode connection = resource.putArray("connections").addObject();
        connection.put("peer-node-id", spec.nodes().indexOf(peer));
        connection.put("name", peer);
        connection.put("connection-state", connected ? "Connected" : "Connecting");
        connection.put("congested", false);
        connection.put("peer-role", !connected ? "Unknown" : peer.equals(primary) ? "Primary" : "Secondary");
        ArrayNode peerDevices = connection.putArray("peer_devices");
        ObjectNode pd = peerDevices.addObject();
        long outOfSync = connected || node.equals(primary) ? Math.round(outOfSyncKib) : 0;
        pd.put("volume", 0);
        pd.put("replication-state", !connected ? "Off" : syncSource == null ? "Established"
                : node.equals(syncSource) ? "SyncSource" : "SyncTarget");
        pd.put("peer-disk-state", connected ? disk.get(peer) : "DUnknown");
        pd.put("peer-client", false);
        pd.put("resync-suspended", "no");
        pd.put("out-of-sync", outOfSync);
        pd.put("has-sync-details", syncSource != null && connected);
        pd.put("has-online-verify-details", false);
        pd.put("percent-in-sync", round2(100.0 * (1 - outOfSync / (double) spec.drbdSizeKib())));
        if (syncSource != null && connected) {
            pd.put("rs-total", Math.round(resyncTotalKib));
            pd.put("percent-resync-done", round2(100.0 * (1 - outOfSyncKib / resyncTotalKib)));
            pd.put("estimated-seconds-to-finish",
                    (long) Math.ceil(outOfSyncKib / spec.drbdResyncKibPerSecond()));
        }
        return JSON.writeValueAsString(JSON.createArrayNode().add(resource));
    }

    private static double round2(double value) {
        return Math.round(value * 100) / 100.0;
    }
}
