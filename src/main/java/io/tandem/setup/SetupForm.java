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
 * @param drbd Cold only
 * @param nfoAgent how Pacemaker runs NFO's unit: {@code systemd} (the default) or {@code lsb}, for a node without systemd
 *        whose unit is an init script (the Pacemaker lab)
 */
public record SetupForm(String mode, String clusterName, String activeNode, List<String> outputs, String vip,
                        String haclusterPassword, Fencing fencing, Drbd drbd, String nfoAgent) {

    public SetupForm(String mode, String clusterName, String activeNode, List<String> outputs, String vip,
                     String haclusterPassword, Fencing fencing, Drbd drbd) {
        this(mode, clusterName, activeNode, outputs, vip, haclusterPassword, fencing, drbd, null);
    }

    public record Fencing(Boolean acknowledgeNone, String agent, Map<String, String> params) {
    }

    /** DRBD resource name, backing device, mount point and port (Cold). */
    public record Drbd(String resource, String device, String mountPoint, Integer port) {
    }

    @Override
    public String toString() {
        return "SetupForm[mode=" + mode + ", clusterName=" + clusterName + ", activeNode=" + activeNode + ", outputs=" + outputs
                + ", vip=" + vip + ", haclusterPassword=" + (haclusterPassword == null ? "none" : "(given)")
                + ", fencing=" + fencing + ", drbd=" + drbd + ", nfoAgent=" + nfoAgent + "]";
    }
}
