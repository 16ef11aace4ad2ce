package io.tandem.setup;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import io.tandem.console.Rejected;
import io.tandem.fleet.ClusterMode;
import io.tandem.fleet.ClusterView;
import io.tandem.node.GateDestination;

/**
 * A {@link SetupForm} checked against the pair it sets up: every value in a shape pcs, corosync and DRBD accept as one
 * argument. It holds no password: the form's {@code haclusterPassword} is only checked to be present, so nothing built
 * from here (plan, dry run, journal) can carry it.
 *
 * @param fence the fence device, or null when the form acknowledged running without fencing
 * @param vip null when none was given (Hot only)
 * @param drbd Cold with DRBD built by setup, else null
 * @param mount Cold on storage replicated already (the form's {@code replicatedMount}), else null; exactly one of
 *        {@code drbd} and {@code mount} for Cold
 * @param nfoClass the Pacemaker class NFO's unit runs under: {@code systemd}, or {@code lsb} where the node has no systemd
 */
record ValidSetup(ClusterMode mode, String clusterName, ClusterView.NodeView active, ClusterView.NodeView passive,
                  List<OutputDestination> outputs, Vip vip, Fence fence, Drbd drbd, ClusterView cluster, String nfoClass,
                  Mount mount) {

    /** Corosync's cluster_name: short, and safe in a file name and as one argument. */
    private static final Pattern CLUSTER_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,31}");
    private static final Pattern NIC = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.:-]{0,14}");
    private static final Pattern FENCE_AGENT = Pattern.compile("fence_[a-z0-9_]{1,40}");
    private static final Pattern PARAM_NAME = Pattern.compile("[a-z_][a-z0-9_-]{0,40}");
    private static final Pattern DRBD_NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,31}");
    private static final Pattern DEVICE = Pattern.compile("/dev/[A-Za-z0-9_./-]{1,200}");
    private static final Pattern MOUNT = Pattern.compile("/[A-Za-z0-9_./-]{1,200}");

    record Vip(String address, int prefix, String nic) {
        String text() {
            return address + "/" + prefix + (nic == null ? "" : "@" + nic);
        }
    }

    record Fence(String agent, Map<String, String> params) {
    }

    /** {@code device} is the backing disk; DRBD's own device is {@code /dev/drbd<minor>}. */
    record Drbd(String resource, String device, String mountPoint, int port, int minor) {
        String drbdDevice() {
            return "/dev/drbd" + minor;
        }
    }

    /** Pacemaker's Filesystem agent's {@code device}, {@code directory}, {@code fstype} and {@code options} (null: none). */
    record Mount(String device, String mountPoint, String fstype, String options) {
        boolean bind() {
            return options != null && java.util.Arrays.asList(options.split(",")).contains("bind");
        }
    }

    /** A mount source: a device under /dev, or (for a bind mount) an absolute directory. */
    private static final Pattern MOUNT_SOURCE = Pattern.compile("/[A-Za-z0-9_./-]{1,200}");
    private static final Pattern FSTYPE = Pattern.compile("[a-z0-9][a-z0-9._]{0,19}");
    private static final Pattern MOUNT_OPTIONS = Pattern.compile("[A-Za-z0-9_.=-]{1,60}(,[A-Za-z0-9_.=-]{1,60}){0,15}");

    /** Every field's fault at once (a 400 listing them), so the user fixes the form in one go. */
    static ValidSetup of(SetupForm form, ClusterView cluster) {
        if (form == null) {
            throw Rejected.invalid("invalid-setup", "mode", "Send the setup form as JSON (mode, clusterName, activeNode, outputs, "
                    + "vip, haclusterPassword, fencing, drbd or replicatedMount).");
        }
        List<Rejected.Violation> faults = new ArrayList<>();
        ClusterMode mode = mode(form.mode(), cluster, faults);
        String name = form.clusterName() == null ? "" : form.clusterName().strip();
        if (!CLUSTER_NAME.matcher(name).matches()) {
            faults.add(new Rejected.Violation("clusterName", "'" + name + "' is not a cluster name: a letter or digit, then letters, "
                    + "digits, '_' or '-', at most 32."));
        }
        ClusterView.NodeView active = cluster.nodes().stream().filter(n -> n.name().equals(form.activeNode())).findFirst().orElse(null);
        if (active == null) {
            faults.add(new Rejected.Violation("activeNode", "Choose the node that starts active: " + cluster.nodes().get(0).name()
                    + " or " + cluster.nodes().get(1).name() + "."));
        }
        ClusterView.NodeView passive = active == null ? null
                : cluster.nodes().stream().filter(n -> !n.id().equals(active.id())).findFirst().orElseThrow();
        List<OutputDestination> outputs = outputs(form.outputs(), faults);
        Vip vip = vip(form.vip(), mode, faults);
        if (form.haclusterPassword() == null || form.haclusterPassword().isEmpty()) {
            faults.add(new Rejected.Violation("haclusterPassword", "Give the hacluster password set on both nodes (pcs host auth "
                    + "needs it; Tandem never stores it)."));
        } else if (form.haclusterPassword().chars().anyMatch(Character::isISOControl)) {
            faults.add(new Rejected.Violation("haclusterPassword", "The hacluster password cannot contain control characters."));
        }
        Fence fence = fence(form.fencing(), faults);
        Drbd drbd = null;
        Mount mount = null;
        if (mode == ClusterMode.COLD && form.replicatedMount() != null) {
            if (form.drbd() != null) {
                faults.add(new Rejected.Violation("replicatedMount", "Give either drbd (setup builds DRBD) or replicatedMount (the "
                        + "storage is replicated already), not both."));
            }
            mount = mount(form.replicatedMount(), faults);
        } else if (mode == ClusterMode.COLD) {
            drbd = drbd(form.drbd(), cluster, faults);
        } else if (form.drbd() != null || form.replicatedMount() != null) {
            faults.add(new Rejected.Violation(form.drbd() != null ? "drbd" : "replicatedMount", "A Hot pair keeps its configuration on "
                    + "each node: leave out drbd and replicatedMount (Cold only)."));
        }
        String nfoClass = form.nfoAgent() == null || form.nfoAgent().isBlank() ? "systemd" : form.nfoAgent().strip();
        if (!nfoClass.equals("systemd") && !nfoClass.equals("lsb")) {
            faults.add(new Rejected.Violation("nfoAgent", "Pacemaker runs NFO's unit as 'systemd' (the default) or 'lsb' (an "
                    + "init script, on a node without systemd), not '" + nfoClass + "'."));
        }
        if (!faults.isEmpty()) {
            throw Rejected.invalid("invalid-setup", faults);
        }
        return new ValidSetup(mode, name, active, passive, outputs, vip, fence, drbd, cluster, nfoClass, mount);
    }

    private static ClusterMode mode(String given, ClusterView cluster, List<Rejected.Violation> faults) {
        String text = given == null ? "" : given.strip().toUpperCase(Locale.ROOT);
        // the monitor judges roles by the pair's registered mode: a form for the other mode would build a pair it misreads
        if (!text.equals(cluster.mode().name())) {
            faults.add(new Rejected.Violation("mode", "'" + (given == null ? "" : given) + "': " + cluster.name() + " is registered as "
                    + cluster.mode() + "; give mode " + cluster.mode() + " (or change the pair's mode on its edit page)."));
        }
        return cluster.mode();
    }

    private static List<OutputDestination> outputs(List<String> given, List<Rejected.Violation> faults) {
        List<OutputDestination> outputs = new ArrayList<>();
        if (given == null || given.isEmpty()) {
            faults.add(new Rejected.Violation("outputs", "Give at least one output of the gate (udp:HOST:PORT or tcp:HOST:PORT)."));
            return outputs;
        }
        for (int i = 0; i < given.size(); i++) {
            try {
                outputs.add(OutputDestination.parse(given.get(i), "outputs[" + i + "]"));
            } catch (Rejected r) {
                faults.addAll(r.violations());
            }
        }
        return outputs;
    }

    /** The VIP's address as the form gives it, for discovery to check it is free; null when there is none or it is malformed. */
    static String vipAddress(String given) {
        Vip vip = vip(given, ClusterMode.HOT, new java.util.ArrayList<>());
        return vip == null ? null : vip.address();
    }

    private static Vip vip(String given, ClusterMode mode, List<Rejected.Violation> faults) {
        String text = given == null ? "" : given.strip();
        if (text.isEmpty()) {
            if (mode == ClusterMode.COLD) {
                faults.add(new Rejected.Violation("vip", "A Cold pair needs a VIP (ADDR/PREFIX, e.g. 10.0.0.100/24): the exporters "
                        + "send to it, and it moves with NFO."));
            }
            return null;
        }
        String nic = null;
        int at = text.indexOf('@');
        if (at >= 0) {
            nic = text.substring(at + 1);
            text = text.substring(0, at);
        }
        int slash = text.indexOf('/');
        String why = "'" + given + "' is not a VIP: write ADDR/PREFIX, NIC optional as ADDR/PREFIX@nic (e.g. 10.0.0.100/24@eth0).";
        if (slash < 0 || (nic != null && !NIC.matcher(nic).matches())) {
            faults.add(new Rejected.Violation("vip", why));
            return null;
        }
        String address = text.substring(0, slash);
        int prefix;
        try {
            prefix = Integer.parseInt(text.substring(slash + 1));
            GateDestination parsed = GateDestination.of(address, GateDestination.Transport.UDP, 1);
            int max = "ip6".equals(parsed.family()) ? 128 : 32;
            if (prefix < 1 || prefix > max) {
                throw new IllegalArgumentException("the prefix must be 1.." + max);
            }
        } catch (IllegalArgumentException e) {
            faults.add(new Rejected.Violation("vip", why));
            return null;
        }
        return new Vip(address, prefix, nic);
    }

    private static Fence fence(SetupForm.Fencing fencing, List<Rejected.Violation> faults) {
        if (fencing == null || (!Boolean.TRUE.equals(fencing.acknowledgeNone()) && fencing.agent() == null)) {
            faults.add(new Rejected.Violation("fencing", "Give a fence device ({\"agent\": \"fence_...\", \"params\": {...}}) or "
                    + "acknowledge running without fencing ({\"acknowledgeNone\": true})."));
            return null;
        }
        if (Boolean.TRUE.equals(fencing.acknowledgeNone())) {
            if (fencing.agent() != null) {
                faults.add(new Rejected.Violation("fencing", "Either a fence device or acknowledgeNone, not both."));
            }
            return null;
        }
        if (!FENCE_AGENT.matcher(fencing.agent()).matches()) {
            faults.add(new Rejected.Violation("fencing.agent", "'" + fencing.agent() + "' is not a fence agent name (fence_..., as "
                    + "pcs stonith list shows)."));
            return null;
        }
        Map<String, String> params = new LinkedHashMap<>();
        if (fencing.params() != null) {
            for (Map.Entry<String, String> p : fencing.params().entrySet()) {
                String value = p.getValue() == null ? "" : p.getValue();
                if (!PARAM_NAME.matcher(p.getKey()).matches() || value.chars().anyMatch(Character::isISOControl)) {
                    faults.add(new Rejected.Violation("fencing.params." + p.getKey(), "'" + p.getKey() + "' is not a usable fence "
                            + "parameter (a lower-case name; a value without control characters)."));
                } else {
                    params.put(p.getKey(), value);
                }
            }
        }
        return new Fence(fencing.agent(), Map.copyOf(params));
    }

    private static Mount mount(SetupForm.ReplicatedMount given, List<Rejected.Violation> faults) {
        int before = faults.size();
        String device = given.device() == null ? "" : given.device().strip();
        String mountPoint = given.mountPoint() == null ? "" : given.mountPoint().strip();
        String fstype = given.fstype() == null || given.fstype().isBlank() ? "" : given.fstype().strip();
        String options = given.options() == null || given.options().isBlank() ? null : given.options().strip();
        if (!MOUNT_SOURCE.matcher(device).matches() || device.contains("..")) {
            faults.add(new Rejected.Violation("replicatedMount.device", "'" + device + "' is not a mount source: a device under /dev "
                    + "(e.g. /dev/mapper/nfo-lun), or an absolute directory for a bind mount."));
        }
        if (!MOUNT.matcher(mountPoint).matches() || mountPoint.contains("..") || mountPoint.equals("/")) {
            faults.add(new Rejected.Violation("replicatedMount.mountPoint", "Give the absolute directory NFO's data is mounted at "
                    + "(e.g. /srv/nfo), not '/'."));
        }
        if (!FSTYPE.matcher(fstype).matches()) {
            faults.add(new Rejected.Violation("replicatedMount.fstype", "'" + fstype + "' is not a file system type as mount takes "
                    + "it (ext4, xfs; none for a bind mount)."));
        }
        if (options != null && !MOUNT_OPTIONS.matcher(options).matches()) {
            faults.add(new Rejected.Violation("replicatedMount.options", "'" + options + "' is not a list of mount options "
                    + "(comma-separated words such as noatime or bind)."));
        }
        if (faults.size() > before) {
            return null;
        }
        Mount mount = new Mount(device, mountPoint, fstype, options);
        if (!device.startsWith("/dev/") && !mount.bind()) {
            faults.add(new Rejected.Violation("replicatedMount.device", "'" + device + "' is a directory: mount it with options "
                    + "bind (and fstype none), or give a device under /dev."));
            return null;
        }
        return mount;
    }

    private static Drbd drbd(SetupForm.Drbd given, ClusterView cluster, List<Rejected.Violation> faults) {
        if (given == null) {
            faults.add(new Rejected.Violation("drbd", "A Cold pair needs its replicated storage: drbd (resource, "
                    + "device, mountPoint, port) for DRBD built by setup, or replicatedMount (device, mountPoint, fstype, options) for "
                    + "storage replicated already."));
            return null;
        }
        String registered = cluster.drbdResource();
        String resource = given.resource() == null || given.resource().isBlank() ? registered : given.resource().strip();
        int before = faults.size();
        if (resource == null || !DRBD_NAME.matcher(resource).matches()) {
            faults.add(new Rejected.Violation("drbd.resource", "'" + (resource == null ? "" : resource) + "' is not a DRBD "
                    + "resource name (lower-case letters, digits, '_' or '-', at most 32)."));
        } else if (!resource.equals(registered)) {
            // one name for both: the monitor asks drbdadm and Pacemaker about the pair's registered name, like the mode
            faults.add(new Rejected.Violation("drbd.resource", "'" + resource + "': " + cluster.name() + " is registered with DRBD "
                    + "resource '" + registered + "', the name the monitor reads in drbdadm and Pacemaker; give '" + registered
                    + "' (or change the pair's DRBD resource on its edit page)."));
        }
        if (given.device() == null || !DEVICE.matcher(given.device().strip()).matches() || given.device().contains("..")) {
            faults.add(new Rejected.Violation("drbd.device", "Give the backing block device under /dev (e.g. /dev/vdb1)."));
        }
        if (given.mountPoint() == null || !MOUNT.matcher(given.mountPoint().strip()).matches() || given.mountPoint().contains("..")
                || given.mountPoint().strip().equals("/")) {
            faults.add(new Rejected.Violation("drbd.mountPoint", "Give an absolute mount point for NFO's data (e.g. /srv/nfo)."));
        }
        int port = given.port() == null ? 7789 : given.port();
        if (port < 1024 || port > 65535) {
            faults.add(new Rejected.Violation("drbd.port", port + " is not a DRBD port: 1024..65535 (7789 by convention)."));
        }
        return faults.size() > before ? null : new Drbd(resource, given.device().strip(), given.mountPoint().strip(), port, 0);
    }
}
