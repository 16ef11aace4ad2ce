package io.tandem.setup;

import java.util.List;
import java.util.Map;

/**
 * The setup form, the same in the wizard and the API ({@code /api/v1/clusters/{id}/setup/...}). The
 * {@code haclusterPassword} is used for {@code pcs host auth} only: never stored, logged, journaled or echoed
 * ({@link #toString()} leaves it out).
 *
 * @param outputs the gate's destinations, {@code udp:HOST:PORT} / {@code tcp:HOST:PORT}
 * @param vip {@code ADDR/PREFIX}, optional NIC as {@code ADDR/PREFIX@nic}; optional for Hot, required for Cold
 * @param fencing {@code {"acknowledgeNone": true}} or a device: {@code {"agent": "fence_...", "params": {...}}}
 * @param drbd Cold, when setup builds DRBD: the resource, backing device, mount point and port
 * @param replicatedMount Cold, instead of {@code drbd}: storage that is already replicated or shared (a SAN LUN, a DRBD
 *        device managed elsewhere, the Pacemaker lab's bind mount); setup only hands its mount to Pacemaker
 * @param nfoAgent how Pacemaker runs NFO's unit: {@code systemd} (the default) or {@code lsb}, for a node without systemd
 *        whose unit is an init script (the Pacemaker lab)
 */
public record SetupForm(String mode, String clusterName, String activeNode, List<String> outputs, String vip,
                        String haclusterPassword, Fencing fencing, Drbd drbd, String nfoAgent, ReplicatedMount replicatedMount) {

    public SetupForm(String mode, String clusterName, String activeNode, List<String> outputs, String vip,
                     String haclusterPassword, Fencing fencing, Drbd drbd, String nfoAgent) {
        this(mode, clusterName, activeNode, outputs, vip, haclusterPassword, fencing, drbd, nfoAgent, null);
    }

    public SetupForm(String mode, String clusterName, String activeNode, List<String> outputs, String vip,
                     String haclusterPassword, Fencing fencing, Drbd drbd) {
        this(mode, clusterName, activeNode, outputs, vip, haclusterPassword, fencing, drbd, null, null);
    }

    public record Fencing(Boolean acknowledgeNone, String agent, Map<String, String> params) {
    }

    /** DRBD resource name, backing device, mount point and port (Cold). */
    public record Drbd(String resource, String device, String mountPoint, Integer port) {
    }

    /**
     * A file system on storage that is replicated or shared already, mounted by Pacemaker's Filesystem agent on the
     * active node only. {@code options} as mount takes them ({@code bind} with {@code fstype} {@code none} for a directory).
     */
    public record ReplicatedMount(String device, String mountPoint, String fstype, String options) {
    }

    @Override
    public String toString() {
        return "SetupForm[mode=" + mode + ", clusterName=" + clusterName + ", activeNode=" + activeNode + ", outputs=" + outputs
                + ", vip=" + vip + ", haclusterPassword=" + (haclusterPassword == null ? "none" : "(given)")
                + ", fencing=" + fencing + ", drbd=" + drbd + ", nfoAgent=" + nfoAgent + ", replicatedMount=" + replicatedMount + "]";
    }
}
