package io.tandem.setup;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.springframework.stereotype.Service;

import io.tandem.access.NodeConnections;
import io.tandem.console.Rejected;
import io.tandem.fleet.ClusterMode;
import io.tandem.fleet.ClusterView;
import io.tandem.fleet.FleetService;
import io.tandem.node.GateDestination;
import io.tandem.node.NodeAccessException;
import io.tandem.node.NodeSnapshot;
import io.tandem.node.SetupProbe;
import io.tandem.pacemaker.CrmMonResult;
import io.tandem.pacemaker.PacemakerParseException;
import io.tandem.setup.Checklist.Check;
import io.tandem.setup.Checklist.Status;
import io.tandem.setup.InstallCommands.Family;

/**
 * Setup's first step: reads both nodes (their snapshot and a {@link SetupProbe}) and judges each item, with the
 * exact fix for what fails. Reads only; no node is changed, and no node call runs inside a transaction (ADR 0011).
 */
@Service
public class Discovery {

    /** Corosync tolerates little skew between nodes; log correlation across a failover tolerates less. */
    static final Duration MAX_CLOCK_SKEW = Duration.ofSeconds(2);

    private final FleetService fleet;
    private final NodeConnections connections;
    private final Clock clock;

    Discovery(FleetService fleet, NodeConnections connections) {
        this.fleet = fleet;
        this.connections = connections;
        this.clock = Clock.systemUTC();
    }

    /** The checklist for both nodes; the form (optional) adds its outputs and, for Cold, the DRBD device. */
    public Checklist discover(UUID clusterId, SetupForm form) {
        ClusterView cluster = fleet.get(clusterId);
        List<OutputDestination> outputs = new ArrayList<>();
        List<String> given = form == null || form.outputs() == null ? List.of() : form.outputs();
        for (int i = 0; i < given.size(); i++) {
            outputs.add(OutputDestination.parse(given.get(i), "outputs[" + i + "]"));
        }
        String device = cluster.mode() == ClusterMode.COLD && form != null && form.drbd() != null ? blankToNull(form.drbd().device()) : null;
        String vip = form == null ? null : ValidSetup.vipAddress(form.vip());
        SetupForm.ReplicatedMount mount = cluster.mode() == ClusterMode.COLD && form != null && form.replicatedMount() != null
                && blankToNull(form.replicatedMount().device()) != null && blankToNull(form.replicatedMount().mountPoint()) != null
                ? form.replicatedMount() : null;
        List<Checklist.NodeChecklist> nodes = new ArrayList<>();
        for (ClusterView.NodeView node : cluster.nodes()) {
            ClusterView.NodeView peer = cluster.nodes().stream().filter(n -> !n.id().equals(node.id())).findFirst().orElseThrow();
            boolean active = form != null && node.name().equals(form.activeNode());
            nodes.add(new Checklist.NodeChecklist(node.name(), node.address(),
                    checks(cluster, node, peer, outputs, mount == null ? device : null, vip, mount, active)));
        }
        return Checklist.of(nodes);
    }

    private List<Check> checks(ClusterView cluster, ClusterView.NodeView node, ClusterView.NodeView peer,
                               List<OutputDestination> outputs, String device, String vip, SetupForm.ReplicatedMount mount,
                               boolean active) {
        List<Check> checks = new ArrayList<>();
        NodeSnapshot snapshot = null;
        SetupProbe.Facts facts;
        try {
            snapshot = connections.snapshot(cluster.id(), node.id());
            SetupProbe.Request request;
            try {
                request = new SetupProbe.Request(peer.name(), peer.address(), outputs.stream()
                        .filter(o -> o.destination().transport() == GateDestination.Transport.TCP)
                        .map(o -> new SetupProbe.Endpoint(o.destination().address(), o.destination().port())).toList(), device, vip,
                        mount == null ? null : mount.device().strip(), mount == null ? null : mount.mountPoint().strip());
            } catch (IllegalArgumentException e) {
                throw Rejected.invalid("invalid-setup", mount == null ? "drbd.device" : "replicatedMount", e.getMessage());
            }
            facts = connections.call(cluster.id(), node.id(), (access, target) -> access.setupProbe(target, request));
        } catch (Rejected rejected) {
            throw rejected;
        } catch (NodeAccessException e) {
            checks.add(new Check("reachable", "Tandem reads the node", Status.FAIL, e.reason() + ": " + e.getMessage(),
                    e instanceof NodeAccessException.KeyRejected
                            ? "Compare the node's key and pin it (pair page, Test connection), then run discovery again."
                            : "Make " + node.endpoint() + " reachable from the console (Test connection on the pair page), then run discovery again."));
            runningCluster(snapshot, node, checks);
            return checks;
        } catch (Exception e) {
            checks.add(new Check("reachable", "Tandem reads the node", Status.FAIL, e.getMessage(), "Test the connection on the pair page."));
            runningCluster(snapshot, node, checks);
            return checks;
        }
        checks.add(new Check("reachable", "Tandem reads the node", Status.PASS, "read through " + node.access(), null));
        Family family = InstallCommands.family(facts.os());
        checks.add(new Check("os", "Operating system", family == Family.UNKNOWN ? Status.WARN : Status.PASS,
                facts.os().getOrDefault("PRETTY_NAME", "unknown (no /etc/os-release)"),
                family == Family.UNKNOWN ? "Tandem gives install commands for Debian/Ubuntu, RHEL-like and SUSE systems." : null));
        nfo(snapshot, node, checks);
        tool(checks, facts, family, "pacemakerd", "Pacemaker", true);
        tool(checks, facts, family, "corosync", "Corosync", true);
        tool(checks, facts, family, "pcs", "pcs", true);
        tool(checks, facts, family, "crm_simulate", "crm_simulate (dry run)", true);
        tool(checks, facts, family, "nft", "nftables (the output gate)", true);
        tool(checks, facts, family, "curl", "curl (reachability checks)", false);
        SetupProbe.Reach pcsd = facts.pcsdOnPeer();
        checks.add(new Check("pcsd-peer", "pcsd on " + peer.name() + " answers from " + node.name() + " (TCP 2224)",
                pcsd.connected() ? Status.PASS : pcsd.detail().startsWith("not checked") ? Status.UNCHECKED : Status.FAIL,
                peer.address() + ":2224 " + pcsd.detail(),
                pcsd.connected() ? null : "On " + peer.name() + ": systemctl enable --now pcsd, and allow TCP 2224 from "
                        + node.address() + " (firewall-cmd --add-service=high-availability, or nft/iptables)."));
        checks.add(new Check("peer-name", peer.name() + " resolves on " + node.name(),
                facts.peerResolvesTo() != null ? Status.PASS : Status.FAIL,
                facts.peerResolvesTo() != null ? facts.peerResolvesTo() : "getent hosts " + peer.name() + " finds nothing",
                facts.peerResolvesTo() != null ? null : "Add '" + peer.address() + " " + peer.name() + "' to /etc/hosts on " + node.name() + "."));
        checks.add(new Check("corosync-udp", "Corosync traffic between the nodes (UDP 5405)", Status.UNCHECKED,
                "UDP cannot be proven before corosync runs",
                "Allow UDP 5405 both ways; setup's 'pcs cluster setup --wait' stops with corosync's error if it is blocked."));
        clock(facts, checks);
        existingCluster(snapshot, facts, node, peer, checks);
        for (OutputDestination output : outputs) {
            checks.add(output(output, facts, node));
        }
        if (facts.vip() != null) {
            checks.add(vip(facts.vip(), node));
        }
        if (facts.mount() != null) {
            checks.addAll(mount(facts.mount(), node, active));
        } else if (cluster.mode() == ClusterMode.COLD) {
            drbd(facts, family, checks);
        }
        return checks;
    }

    /** A VIP in use would be taken from whoever has it, and answered by two hosts at once: setup refuses it (SetupService). */
    static Check vip(SetupProbe.VipFacts vip, ClusterView.NodeView node) {
        String title = "VIP " + vip.address() + " is free (seen from " + node.name() + ")";
        if (vip.heldHere()) {
            return new Check(VIP_FREE, title, Status.FAIL, vip.detail(), "If it is a leftover, remove it on " + node.name()
                    + " (ip addr del " + vip.address() + "/PREFIX dev NIC); otherwise choose another VIP: Pacemaker adds it itself.");
        }
        if (Boolean.TRUE.equals(vip.answers())) {
            return new Check(VIP_FREE, title, Status.FAIL, vip.detail(), "Another host uses " + vip.address() + " (arping -I NIC "
                    + vip.address() + " on " + node.name() + " shows its MAC address): choose a free address, or release it there first.");
        }
        if (vip.answers() == null) {
            return new Check(VIP_FREE, title, Status.UNCHECKED, vip.detail(), "Check by hand that nothing answers at "
                    + vip.address() + " (ping or arping from " + node.name() + ") before applying.");
        }
        return new Check(VIP_FREE, title, Status.PASS, vip.detail(), null);
    }

    /** The id of the VIP check, which apply refuses to run past. */
    static final String VIP_FREE = "vip-free";

    private static void nfo(NodeSnapshot snapshot, ClusterView.NodeView node, List<Check> checks) {
        var service = snapshot.service();
        if (service == null) {
            checks.add(new Check("nfo", "NFO service " + node.serviceUnit(), Status.FAIL, "its state could not be read",
                    "Check that systemctl show " + node.serviceUnit() + " works on " + node.name() + "."));
            return;
        }
        boolean unknown = "not-found".equals(service.loadState());
        checks.add(new Check("nfo", "NFO service " + node.serviceUnit(), unknown ? Status.FAIL : Status.PASS,
                unknown ? node.serviceUnit() + " is not installed" : service.state() + " (" + service.subState() + ")",
                unknown ? "Install NFO on " + node.name() + " (unit " + node.serviceUnit() + "), or correct the unit name on the pair's edit page." : null));
    }

    private static void tool(List<Check> checks, SetupProbe.Facts facts, Family family, String tool, String title, boolean required) {
        String version = facts.versions().get(tool);
        checks.add(new Check(tool, title, version != null ? Status.PASS : required ? Status.FAIL : Status.WARN,
                version != null ? version : "not installed", version != null ? null : InstallCommands.install(tool, family)));
    }

    private void clock(SetupProbe.Facts facts, List<Check> checks) {
        if (facts.clock() == null) {
            checks.add(new Check("clock", "Clock", Status.UNCHECKED, "the node's clock could not be read (date)", null));
            return;
        }
        // read at the end of the probe, compared on arrival: the error is at most one round trip
        Duration skew = Duration.between(clock.instant(), facts.clock()).abs();
        boolean ok = skew.compareTo(MAX_CLOCK_SKEW) <= 0;
        checks.add(new Check("clock", "Clock within " + MAX_CLOCK_SKEW.toSeconds() + " s of the console", ok ? Status.PASS : Status.WARN,
                "off by " + skew.toMillis() + " ms", ok ? null : "Enable time sync: timedatectl set-ntp true (chrony or systemd-timesyncd)."));
    }

    /** When only the snapshot was read (the probe failed), a running Pacemaker still shows a cluster to adopt. */
    private static void runningCluster(NodeSnapshot snapshot, ClusterView.NodeView node, List<Check> checks) {
        if (snapshot != null && pacemakerRuns(snapshot)) {
            checks.add(existing(node, "Pacemaker runs here"));
        }
    }

    private static boolean pacemakerRuns(NodeSnapshot snapshot) {
        try {
            return snapshot.pacemaker().map(r -> r instanceof CrmMonResult.Running).orElse(false);
        } catch (PacemakerParseException e) {
            // unreadable output says nothing either way; the files below still do
            return false;
        }
    }

    private static Check existing(ClusterView.NodeView node, String found) {
        return new Check("existing-cluster", "No cluster on " + node.name() + " yet", found != null ? Status.FAIL : Status.PASS,
                found != null ? found : "Pacemaker not running, no cluster configuration",
                found != null ? "Setup never overwrites a cluster: adopt it instead, or dismantle it first (pcs cluster destroy --all)." : null);
    }

    private static void existingCluster(NodeSnapshot snapshot, SetupProbe.Facts facts, ClusterView.NodeView node,
                                        ClusterView.NodeView peer, List<Check> checks) {
        boolean running = pacemakerRuns(snapshot);
        // a distribution's sample corosync.conf (Debian: node1 at 127.0.0.1) is no cluster; one naming this pair is
        boolean configured = facts.corosyncNodes().stream().anyMatch(n -> List.of(node.name(), node.address(), peer.name(),
                peer.address()).contains(n));
        String found = running ? "Pacemaker runs here" : configured ? "corosync.conf lists " + String.join(", ", facts.corosyncNodes())
                : facts.cibExists() ? "a CIB exists (/var/lib/pacemaker/cib/cib.xml)" : null;
        checks.add(existing(node, found));
    }

    private static Check output(OutputDestination output, SetupProbe.Facts facts, ClusterView.NodeView node) {
        GateDestination d = output.destination();
        String id = "output " + output.text();
        if (d.transport() == GateDestination.Transport.UDP) {
            return new Check(id, "Output " + output.text() + " reachable", Status.UNCHECKED,
                    "UDP has no handshake: reachability shows in the SIEM once flows are sent", null);
        }
        SetupProbe.Reach reach = facts.outputs().stream().filter(r -> r.host().equals(d.address()) && r.port() == d.port())
                .findFirst().orElse(null);
        if (reach == null || reach.detail().startsWith("not checked")) {
            return new Check(id, "Output " + output.text() + " reachable", Status.UNCHECKED,
                    reach == null ? "not checked" : reach.detail(), null);
        }
        return new Check(id, "Output " + output.text() + " reachable from " + node.name(), reach.connected() ? Status.PASS : Status.WARN,
                reach.detail(), reach.connected() ? null : "Allow " + node.name() + " to reach " + output.text() + " (firewall, routing), "
                        + "or correct the destination.");
    }

    private static void drbd(SetupProbe.Facts facts, Family family, List<Check> checks) {
        SetupProbe.DrbdFacts drbd = facts.drbd();
        if (drbd == null) {
            checks.add(new Check("drbd-device", "DRBD backing device", Status.FAIL, "no device given",
                    "Give the backing device in the form (drbd.device, e.g. /dev/vdb1)."));
            return;
        }
        checks.add(new Check("drbdadm", "drbd-utils", drbd.drbdadm() != null ? Status.PASS : Status.FAIL,
                drbd.drbdadm() != null ? drbd.drbdadm() : "not installed", drbd.drbdadm() != null ? null : InstallCommands.install("drbdadm", family)));
        checks.add(new Check("drbd-module", "DRBD kernel module", drbd.moduleAvailable() ? Status.PASS : Status.FAIL,
                drbd.moduleAvailable() ? "available" : "neither loaded nor installed",
                drbd.moduleAvailable() ? null : family == Family.DEBIAN ? "apt-get install -y drbd-dkms (or a kernel with drbd), then modprobe drbd"
                        : "install the DRBD kernel module for the running kernel (kmod-drbd), then modprobe drbd"));
        boolean block = "block special file".equals(drbd.deviceType());
        checks.add(new Check("drbd-device", "Backing device " + drbd.device(), block ? Status.PASS : Status.FAIL,
                drbd.deviceType() == null ? "does not exist" : drbd.deviceType(),
                block ? null : "Give an existing block device (lsblk lists them)."));
        checks.add(new Check("drbd-device-unmounted", drbd.device() + " not mounted", drbd.mountedAt() == null ? Status.PASS : Status.FAIL,
                drbd.mountedAt() == null ? "not mounted" : "mounted at " + drbd.mountedAt(),
                drbd.mountedAt() == null ? null : "umount " + drbd.mountedAt() + " and remove it from /etc/fstab: DRBD needs the device to itself."));
    }

    /**
     * Storage replicated already: the source must exist on both nodes; it is mounted on the node that starts active (NFO
     * reads its data there, and Pacemaker's probe adopts the mount) and nowhere else, and no fstab mounts it at boot
     * (both nodes would mount it before Pacemaker decides).
     */
    static List<Check> mount(SetupProbe.MountFacts mount, ClusterView.NodeView node, boolean active) {
        List<Check> checks = new ArrayList<>();
        boolean present = mount.sourceType() != null;
        checks.add(new Check("mount-source", "Replicated storage " + mount.source() + " present", present ? Status.PASS : Status.FAIL,
                present ? mount.sourceType() : "does not exist on " + node.name(),
                present ? null : "Make " + mount.source() + " visible on " + node.name() + " (the LUN, multipath or replicated device), "
                        + "or correct the device in the form."));
        if (active) {
            checks.add(new Check("mount-active", mount.mountPoint() + " mounted on " + node.name() + " (starts active)",
                    mount.mounted() ? Status.PASS : Status.WARN,
                    mount.mounted() ? "mounted (" + mount.mountedFstype() + ")" : "not mounted",
                    mount.mounted() ? null : "NFO on " + node.name() + " does not read its data from the replicated storage now: "
                            + "Pacemaker mounts it when the resources start, and NFO restarts there on it."));
        } else {
            checks.add(new Check("mount-passive", mount.mountPoint() + " not mounted on " + node.name() + " (starts passive)",
                    mount.mounted() ? Status.FAIL : Status.PASS,
                    mount.mounted() ? "mounted (" + mount.mountedFstype() + ")" : "not mounted",
                    mount.mounted() ? "umount " + mount.mountPoint() + " on " + node.name() + ": a file system that is not a cluster "
                            + "file system is corrupted when two nodes write it." : null));
        }
        checks.add(new Check("mount-fstab", mount.mountPoint() + " not mounted at boot by /etc/fstab", mount.fstab() == null ? Status.PASS
                : Status.FAIL, mount.fstab() == null ? "no fstab entry mounts it" : mount.fstab(),
                mount.fstab() == null ? null : "Add noauto to that line in /etc/fstab on " + node.name() + " (or remove it): Pacemaker "
                        + "alone mounts it, on one node at a time."));
        return checks;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
