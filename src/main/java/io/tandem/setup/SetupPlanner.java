package io.tandem.setup;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import io.tandem.fleet.ClusterMode;
import io.tandem.fleet.ClusterView.NodeView;
import io.tandem.node.GateAgent;
import io.tandem.node.GateChange;
import io.tandem.node.GateDestination;
import io.tandem.node.SetupCommand;
import io.tandem.setup.SetupPlan.Actions;
import io.tandem.setup.Checklist.Status;
import io.tandem.setup.SetupPlan.PlanStep;

/**
 * Turns a validated form into the plan: the recipe of DOMAIN.md ("Setting up a pair") and the lab's resource layout.
 * Pure: reads no node; discovery's findings come in as warnings.
 *
 * <p>The resources and constraints are built with {@code pcs -f} on a copy of the CIB and pushed in one transaction,
 * as the Pacemaker lab does: created one by one on the live cluster, Pacemaker would start each resource before the
 * constraints after it exist (an open gate on the node without the VIP: both nodes sending for a moment).
 */
final class SetupPlanner {

    /** Where apply builds the resources before pushing them; on the node that runs the step. */
    static final String CIB_FILE = "/var/lib/pcsd/tandem-setup-cib.xml";
    /** Corosync's totem token: 3 s, as verified on these machines (DOMAIN.md). */
    static final int TOKEN_MS = 3000;
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_@%+=:,./<>-]+");

    private SetupPlanner() {
    }

    static SetupPlan plan(ValidSetup setup, Checklist discovery) {
        Builder b = new Builder();
        NodeView a = setup.active();
        NodeView p = setup.passive();
        List<String> warnings = new ArrayList<>(warnings(setup, discovery));
        List<SetupCommand.Host> hosts = List.of(new SetupCommand.Host(a.name(), a.address()), new SetupCommand.Host(p.name(), p.address()));

        b.step(a.name(), "Authenticate pcsd on both nodes",
                List.of(shell("pcs", "host", "auth", a.name(), "addr=" + a.address(), p.name(), "addr=" + p.address(),
                        "-u", "hacluster", "-p", SetupPlan.REDACTED)),
                "pcsd tokens for " + a.name() + " and " + p.name() + " (/var/lib/pcsd/known-hosts). The password is sent to pcsd "
                        + "only and never stored by Tandem.",
                "pcs prints '" + a.name() + ": Authorized' and '" + p.name() + ": Authorized'; a wrong password stops here, "
                        + "before anything changed.",
                List.of(shell("pcs", "host", "deauth", a.name(), p.name())),
                new Actions(SetupPlan.Task.NODE, given -> List.of(new SetupCommand.HostAuth(hosts, given.password())),
                        List.of(new SetupCommand.HostDeauth(List.of(a.name(), p.name())))));
        b.step(a.name(), "Create the cluster " + setup.clusterName() + " and start it on both nodes",
                List.of(shell("pcs", "cluster", "setup", setup.clusterName(), a.name(), "addr=" + a.address(), p.name(),
                        "addr=" + p.address(), "transport", "knet", "totem", "token=" + TOKEN_MS, "--start", "--wait=120")),
                "corosync.conf and the corosync and pacemaker authkeys on both nodes; corosync and Pacemaker run on both.",
                "crm_mon on both nodes lists " + a.name() + " and " + p.name() + " online with quorum.",
                List.of(shell("pcs", "cluster", "stop", "--all"), shell("pcs", "cluster", "destroy", "--all")),
                Actions.node(List.of(new SetupCommand.ClusterSetup(setup.clusterName(), hosts, TOKEN_MS)), List.of(
                        new SetupCommand.ClusterAll(SetupCommand.ClusterAll.Verb.STOP),
                        new SetupCommand.ClusterAll(SetupCommand.ClusterAll.Verb.DESTROY))));
        for (NodeView node : List.of(a, p)) {
            b.step(node.name(), "Install the output gate's resource agent (tandem-gate " + GateAgent.version() + ")",
                    List.of(gateAgentInstall(null)),
                    GateAgent.INSTALLED_PATH + " (ocf:tandem:gate), " + GateAgent.script().length() + " bytes.",
                    "The installed file's '# tandem-gate-version:' line reads " + GateAgent.version() + ".",
                    List.of(shell("rm", "-f", GateAgent.INSTALLED_PATH) + "   # unless the tandem-agent package owns it"),
                    Actions.node(List.of(new SetupCommand.GateAgentFile(true)), List.of(new SetupCommand.GateAgentFile(false))));
        }
        if (setup.drbd() != null) {
            drbdSteps(b, setup);
        } else if (setup.mount() != null) {
            mountPoint(b, setup.passive(), setup.mount().mountPoint());
        }
        for (NodeView node : List.of(a, p)) {
            boolean coldPassive = setup.mode() == ClusterMode.COLD && node == p;
            List<String> commands = new ArrayList<>(List.of(shell("systemctl", "disable", node.serviceUnit())));
            List<SetupCommand> run = new ArrayList<>(List.of(new SetupCommand.NfoUnit(SetupCommand.NfoUnit.Action.DISABLE)));
            // undo starts NFO again: deleting the resources (the step undone before this one) stopped it where it ran
            List<SetupCommand> undo = List.of(new SetupCommand.NfoUnit(SetupCommand.NfoUnit.Action.ENABLE),
                    new SetupCommand.NfoUnit(SetupCommand.NfoUnit.Action.START));
            if (coldPassive) {
                commands.add(shell("systemctl", "stop", node.serviceUnit()));
                run.add(new SetupCommand.NfoUnit(SetupCommand.NfoUnit.Action.STOP));
            }
            b.step(node.name(), "Hand " + node.serviceUnit() + " on " + node.name() + " to Pacemaker", commands,
                    node.serviceUnit() + " no longer starts at boot: Pacemaker alone decides where NFO runs"
                            + (coldPassive ? "; NFO stops on the Cold passive." : "."),
                    "systemctl is-enabled " + node.serviceUnit() + " prints 'disabled'" + (coldPassive ? " and is-active 'inactive'." : "."),
                    List.of(shell("systemctl", "enable", "--now", node.serviceUnit())),
                    Actions.node(run, undo));
        }
        fencing(b, setup);
        gates(b, setup);
        resources(b, setup);
        if (setup.mode() == ClusterMode.HOT) {
            b.step("console", "Copy " + a.name() + "'s configuration to " + p.name() + " (the Copy configuration operation)",
                    List.of("Tandem operation COPY_CONFIG from " + a.name() + " to " + p.name()),
                    p.name() + "'s NFO configuration becomes " + a.name() + "'s (changed files only, backed up first); NFO restarts "
                            + "there.",
                    "The monitor shows no configuration drift between the nodes.",
                    List.of("Restore " + p.name() + "'s backup (pair page, Backups)"), Actions.console(SetupPlan.Task.COPY_CONFIG));
        }
        b.step("console", "Verify the pair with Tandem's monitor", List.of("Tandem reads both nodes"), "Nothing.",
                a.name() + " ACTIVE, " + p.name() + (setup.mode() == ClusterMode.HOT ? " PASSIVE_HOT" : " PASSIVE_COLD")
                        + ", no critical finding, and each node's loss survivable.",
                List.of(), Actions.console(SetupPlan.Task.VERIFY));
        return new SetupPlan(b.steps, warnings, b.cibChanges, setup.drbd() == null ? null : drbdConfig(setup));
    }

    private static List<String> warnings(ValidSetup setup, Checklist discovery) {
        List<String> warnings = new ArrayList<>();
        if (setup.fence() == null) {
            warnings.add("Running without fencing (stonith-enabled=false), as acknowledged: a node that stops answering is "
                    + "assumed dead, so both nodes may run NFO with the output open"
                    + (setup.mode() == ClusterMode.COLD ? ", and both may write the DRBD volume (split brain)." : ".")
                    + " The monitor keeps this as a finding.");
        }
        if (setup.vip() == null) {
            warnings.add("No VIP: the exporters must send to both nodes (Hot), and nothing moves an address on failover.");
        }
        if (discovery != null) {
            for (Checklist.NodeChecklist node : discovery.nodes()) {
                node.checks().stream().filter(c -> c.status() == Status.FAIL).forEach(c -> warnings.add("Discovery on " + node.node()
                        + ": " + c.title() + " failed (" + c.found() + ")" + (c.fix() == null ? "." : ". Fix: " + c.fix())));
            }
        }
        return warnings;
    }

    private static void drbdSteps(Builder b, ValidSetup setup) {
        ValidSetup.Drbd d = setup.drbd();
        String file = "/etc/drbd.d/" + d.resource() + ".res";
        for (NodeView node : List.of(setup.active(), setup.passive())) {
            b.step(node.name(), "Write the DRBD resource " + file,
                    List.of(shell("install", "-m", "0644", "/dev/stdin", file) + "   # stdin: the resource file below",
                            shell("drbdadm", "dump", d.resource())),
                    file + " (shown in the dry run).", "drbdadm dump " + d.resource() + " parses it without error.",
                    List.of(shell("rm", "-f", file)),
                    Actions.node(List.of(new SetupCommand.DrbdFile(d.resource(), drbdConfig(setup))),
                            List.of(new SetupCommand.DrbdFile(d.resource(), null))));
            b.step(node.name(), "Create DRBD's metadata on " + d.device() + " and bring " + d.resource() + " up",
                    List.of(shell("drbdadm", "create-md", "--force", d.resource()), shell("drbdadm", "up", d.resource())),
                    "DRBD metadata at the end of " + d.device() + "; " + d.drbdDevice() + " exists and connects to the peer.",
                    "drbdadm status " + d.resource() + " shows the peer connected, both disks Inconsistent.",
                    List.of(shell("drbdadm", "down", d.resource()), shell("drbdadm", "wipe-md", "--force", d.resource())),
                    Actions.node(List.of(new SetupCommand.Drbd(SetupCommand.Drbd.Verb.CREATE_MD, d.resource()),
                            new SetupCommand.Drbd(SetupCommand.Drbd.Verb.UP, d.resource())),
                            List.of(new SetupCommand.Drbd(SetupCommand.Drbd.Verb.DOWN, d.resource()),
                                    new SetupCommand.Drbd(SetupCommand.Drbd.Verb.WIPE_MD, d.resource()))));
        }
        NodeView a = setup.active();
        b.step(a.name(), "Initial sync from " + a.name(),
                List.of(shell("drbdadm", "primary", "--force", d.resource())),
                a.name() + "'s " + d.device() + " becomes the source: the peer's copy is overwritten block by block.",
                "drbdadm status " + d.resource() + " until the peer's disk is UpToDate (progress shown as it syncs).",
                List.of(shell("drbdadm", "secondary", d.resource())),
                Actions.node(List.of(new SetupCommand.Drbd(SetupCommand.Drbd.Verb.PRIMARY_FORCE, d.resource())),
                        List.of(new SetupCommand.Drbd(SetupCommand.Drbd.Verb.SECONDARY, d.resource()))));
        b.step(a.name(), "Create the file system on " + d.drbdDevice(),
                List.of(shell("mkfs.ext4", "-L", "nfo", d.drbdDevice()), shell("mkdir", "-p", d.mountPoint()),
                        shell("drbdadm", "secondary", d.resource())),
                "A new ext4 file system on " + d.drbdDevice() + ": whatever " + d.device() + " held is lost.",
                "blkid " + d.drbdDevice() + " reports TYPE=\"ext4\".",
                List.of("none: the former contents of " + d.device() + " cannot be restored"),
                "format " + d.device() + " on " + a.name(),
                new Actions(SetupPlan.Task.NODE, given -> List.of(new SetupCommand.Mkfs(d.drbdDevice(), d.device(), given.typedPhrase()),
                        new SetupCommand.MountPoint(d.mountPoint(), true),
                        new SetupCommand.Drbd(SetupCommand.Drbd.Verb.SECONDARY, d.resource())), List.of()));
        b.step(setup.passive().name(), "Create the mount point " + d.mountPoint(), List.of(shell("mkdir", "-p", d.mountPoint())),
                d.mountPoint() + " exists.", "test -d " + d.mountPoint(), List.of(shell("rmdir", d.mountPoint())),
                Actions.node(List.of(new SetupCommand.MountPoint(d.mountPoint(), true)),
                        List.of(new SetupCommand.MountPoint(d.mountPoint(), false))));
    }

    /**
     * Storage replicated already: only the passive's mount point is made (the active has the volume mounted, discovery
     * checked). No undo: the directory may have been there before, and removing it gains nothing.
     */
    private static void mountPoint(Builder b, NodeView passive, String mountPoint) {
        b.step(passive.name(), "Create the mount point " + mountPoint, List.of(shell("mkdir", "-p", mountPoint)),
                mountPoint + " exists (an existing directory is left as it is).", "test -d " + mountPoint, List.of(),
                Actions.node(List.of(new SetupCommand.MountPoint(mountPoint, true)), List.of()));
    }

    private static void fencing(Builder b, ValidSetup setup) {
        String a = setup.active().name();
        if (setup.fence() == null) {
            b.cib(a, "Run without fencing (acknowledged)", List.of(List.of("property", "set", "stonith-enabled=false")),
                    "The cluster property stonith-enabled=false: Pacemaker starts resources without a fence device.",
                    "pcs property config shows stonith-enabled=false.",
                    List.of(List.of("property", "unset", "stonith-enabled")));
            return;
        }
        List<String> create = new ArrayList<>(List.of("stonith", "create", "nfo-fence", setup.fence().agent()));
        setup.fence().params().entrySet().stream().sorted(java.util.Map.Entry.comparingByKey())
                .forEach(e -> create.add(e.getKey() + "=" + e.getValue()));
        create.addAll(List.of("op", "monitor", "interval=60s"));
        b.cib(a, "Create the fence device nfo-fence (" + setup.fence().agent() + ")",
                List.of(create, List.of("property", "set", "stonith-enabled=true")),
                "A stonith resource nfo-fence; Pacemaker fences a node that stops answering before taking over.",
                "crm_mon shows nfo-fence Started; 'pcs stonith fence' is left to a planned drill.",
                List.of(List.of("stonith", "delete", "nfo-fence"), List.of("property", "unset", "stonith-enabled")));
    }

    /**
     * Each gate as the gate agent leaves it (open on the node that starts active, blocked on the other) before the
     * resources exist: Pacemaker's first probe then finds both in a known state instead of an absent table (an error
     * whose recovery would block the active's output for a moment).
     */
    private static void gates(Builder b, ValidSetup setup) {
        List<GateDestination> destinations = setup.outputs().stream().map(OutputDestination::destination).toList();
        b.step(setup.active().name(), "Open the output gate on " + setup.active().name(),
                List.of(shell(io.tandem.node.OutputGate.openCommand())),
                "The nftables table the gate agent manages, without drop rules: " + setup.active().name() + " keeps sending.",
                "The gate reads OPEN (the agent's monitor, and Tandem's snapshot).", List.of(),
                Actions.node(List.of(new SetupCommand.Gate(GateChange.opening())), List.of()));
        b.step(setup.passive().name(), "Block the output gate on " + setup.passive().name(),
                List.of(shell(io.tandem.node.OutputGate.blockCommand(destinations))),
                "Drop rules for " + setup.outputs().stream().map(OutputDestination::text).collect(Collectors.joining(", ")) + ": "
                        + setup.passive().name() + " stops sending (the pair sends once, from " + setup.active().name() + ").",
                "The gate reads BLOCKED.", List.of("nft: open the gate again (no drop rules)"),
                Actions.node(List.of(new SetupCommand.Gate(GateChange.blocking(destinations))),
                        List.of(new SetupCommand.Gate(GateChange.opening()))));
    }

    /**
     * The resource agent's type for NFO's unit: systemd takes the unit's name ({@code nfo.service}); an LSB agent is the
     * init script ({@code /etc/init.d/nfo}), so the unit's suffix goes ({@code lsb:nfo.service} has no metadata).
     */
    static String agentType(String nfoClass, String serviceUnit) {
        return "lsb".equals(nfoClass) && serviceUnit.endsWith(".service")
                ? serviceUnit.substring(0, serviceUnit.length() - ".service".length()) : serviceUnit;
    }

    /** The lab's layout (lab/pacemaker-lab.sh), with the pair's own resource names so the monitor finds them. */
    private static void resources(Builder b, ValidSetup setup) {
        var cluster = setup.cluster();
        String nfo = cluster.nfoResource();
        String gate = cluster.gateResource();
        String vip = cluster.vipResource();
        String unit = setup.nfoClass() + ":" + agentType(setup.nfoClass(), setup.active().serviceUnit());
        String destinations = setup.outputs().stream().map(OutputDestination::text).collect(Collectors.joining(","));
        List<String> gateCreate = List.of("resource", "create", gate, GateAgent.PACEMAKER_AGENT, "destinations=" + destinations,
                "op", "monitor", "interval=10s", "timeout=20s");
        List<List<String>> changes = new ArrayList<>();
        changes.add(List.of("resource", "defaults", "update", "resource-stickiness=100"));
        String placed;
        if (setup.mode() == ClusterMode.HOT) {
            changes.add(List.of("resource", "create", nfo, unit, "op", "monitor", "interval=10s", "timeout=20s", "clone"));
            String clone = nfo + "-clone";
            String first = clone;
            if (setup.vip() != null) {
                changes.add(vipCreate(setup, vip, List.of()));
                changes.add(List.of("constraint", "colocation", "add", vip, "with", clone, "INFINITY"));
                changes.add(List.of("constraint", "order", "start", clone, "then", "start", vip));
                first = vip;
            }
            changes.add(gateCreate);
            changes.add(List.of("constraint", "colocation", "add", gate, "with", first, "INFINITY"));
            changes.add(List.of("constraint", "order", "start", first, "then", "start", gate));
            placed = first.equals(clone) ? gate : first;
        } else {
            String group = nfo + "-group";
            List<String> inGroup = List.of("--group", group);
            List<String> fs = new ArrayList<>(List.of("resource", "create", nfo + "-fs", "ocf:heartbeat:Filesystem"));
            if (setup.drbd() != null) {
                ValidSetup.Drbd d = setup.drbd();
                changes.add(List.of("resource", "create", drbdName(setup), "ocf:linbit:drbd", "drbd_resource=" + d.resource(),
                        "op", "monitor", "interval=29s", "role=Promoted", "op", "monitor", "interval=31s", "role=Unpromoted",
                        "promotable", "promoted-max=1", "promoted-node-max=1", "clone-max=2", "clone-node-max=1", "notify=true"));
                fs.addAll(List.of("device=" + d.drbdDevice(), "directory=" + d.mountPoint(), "fstype=ext4"));
            } else {
                ValidSetup.Mount m = setup.mount();
                fs.addAll(List.of("device=" + m.device(), "directory=" + m.mountPoint(), "fstype=" + m.fstype()));
                if (m.options() != null) {
                    fs.add("options=" + m.options());
                }
            }
            fs.addAll(List.of("op", "monitor", "interval=20s"));
            changes.add(concat(fs, inGroup));
            changes.add(vipCreate(setup, vip, inGroup));
            changes.add(concat(List.of("resource", "create", nfo, unit, "op", "monitor", "interval=10s", "timeout=20s"), inGroup));
            changes.add(concat(gateCreate, inGroup));
            if (setup.drbd() != null) {
                String drbd = drbdName(setup);
                changes.add(List.of("constraint", "colocation", "add", group, "with", "Promoted", drbd + "-clone", "INFINITY"));
                changes.add(List.of("constraint", "order", "promote", drbd + "-clone", "then", "start", group));
            }
            placed = group;
        }
        // the node that starts active: preferred by less than the stickiness, so Pacemaker never fails back on its own
        changes.add(List.of("constraint", "location", placed, "prefers", setup.active().name() + "=50"));

        List<String> commands = new ArrayList<>();
        commands.add(shell("pcs", "cluster", "cib", CIB_FILE));
        changes.forEach(c -> commands.add(shell(concat(List.of("pcs", "-f", CIB_FILE), c))));
        commands.add(shell("pcs", "cluster", "cib-push", CIB_FILE, "--config"));
        commands.add(shell("rm", "-f", CIB_FILE));
        String what = setup.mode() == ClusterMode.HOT
                ? nfo + " cloned on both nodes" + (setup.vip() != null ? ", " + vip + " with a running " + nfo : "") + ", " + gate
                        + " with " + (setup.vip() != null ? vip : "a running " + nfo) + " and started after it"
                : setup.drbd() != null ? "the promotable " + drbdName(setup) + "-clone, and the group " + nfo + "-group (file system, "
                        + vip + ", " + nfo + ", " + gate + ") on the Promoted node, started after promotion"
                : "the group " + nfo + "-group (" + setup.mount().device() + " mounted at " + setup.mount().mountPoint() + ", " + vip
                        + ", " + nfo + ", " + gate + ") on one node at a time; the mount already on " + setup.active().name()
                        + " is adopted as it is (Pacemaker's probe finds it started)";
        b.steps.add(new PlanStep(b.steps.size() + 1, setup.active().name(), "Create the resources and constraints in one CIB "
                + "transaction", commands, what + "; " + setup.active().name() + " preferred at first (score 50 < stickiness 100).",
                "crm_mon shows " + gate + " started on " + setup.active().name() + " and, on the other node, the gate blocked.",
                undoResources(changes).stream().map(u -> shell(concat(List.of("pcs"), u))).toList(), null,
                Actions.node(List.of(new SetupCommand.CibPush(changes)),
                        undoResources(changes).stream().<SetupCommand>map(SetupCommand.Pcs::new).toList())));
        b.cibChanges.addAll(changes);
    }

    /** The DRBD primitive is named as the DRBD resource: the monitor reads Pacemaker and drbdadm by that one name. */
    private static String drbdName(ValidSetup setup) {
        return setup.drbd().resource();
    }

    private static List<String> vipCreate(ValidSetup setup, String vip, List<String> tail) {
        ValidSetup.Vip v = setup.vip();
        List<String> create = new ArrayList<>(List.of("resource", "create", vip, "ocf:heartbeat:IPaddr2", "ip=" + v.address(),
                "cidr_netmask=" + v.prefix()));
        if (v.nic() != null) {
            create.add("nic=" + v.nic());
        }
        create.addAll(List.of("op", "monitor", "interval=10s", "timeout=20s"));
        create.addAll(tail);
        return create;
    }

    /** Deleting a resource removes its constraints too; reverse order so nothing is left pointing at a deleted one. */
    private static List<List<String>> undoResources(List<List<String>> changes) {
        List<List<String>> undo = new ArrayList<>();
        List<List<String>> reversed = new ArrayList<>(changes);
        java.util.Collections.reverse(reversed);
        for (List<String> c : reversed) {
            if (c.size() > 2 && c.get(0).equals("resource") && c.get(1).equals("create")) {
                undo.add(List.of("resource", "delete", c.get(2), "--force"));
            }
        }
        undo.add(List.of("resource", "defaults", "update", "resource-stickiness="));
        return undo;
    }

    private static String drbdConfig(ValidSetup setup) {
        ValidSetup.Drbd d = setup.drbd();
        return """
                # written by Tandem setup for the pair %s
                resource %s {
                    net {
                        protocol C;
                    }
                    device %s minor %d;
                    disk %s;
                    meta-disk internal;
                    on %s {
                        address %s;
                        node-id 0;
                    }
                    on %s {
                        address %s;
                        node-id 1;
                    }
                }
                """.formatted(setup.clusterName(), d.resource(), d.drbdDevice(), d.minor(), d.device(),
                setup.active().name(), endpoint(setup.active().address(), d.port()),
                setup.passive().name(), endpoint(setup.passive().address(), d.port()));
    }

    private static String endpoint(String address, int port) {
        return address.contains(":") ? "ipv6 [" + address + "]:" + port : address + ":" + port;
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    /** Installs the gate agent this console ships, as typed on one node ({@code node}: named in the comment, or null). */
    static String gateAgentInstall(String node) {
        return shell("install", "-D", "-m", "0755", "-o", "root", "-g", "root", "/dev/stdin", GateAgent.INSTALLED_PATH)
                + "   # " + (node == null ? "" : "on " + node + "; ") + "stdin: the tandem-gate " + GateAgent.version()
                + " script shipped in this console";
    }

    static String shell(String... argv) {
        return shell(List.of(argv));
    }

    /** As one would type it: plain words as they are, anything else in single quotes. */
    static String shell(List<String> argv) {
        return argv.stream().map(w -> PLAIN.matcher(w).matches() ? w : "'" + w.replace("'", "'\\''") + "'")
                .collect(Collectors.joining(" "));
    }

    /** Steps numbered as they are added; the CIB changes of every step that makes some, for the dry run. */
    private static final class Builder {
        final List<PlanStep> steps = new ArrayList<>();
        final List<List<String>> cibChanges = new ArrayList<>();

        void step(String node, String title, List<String> commands, String changes, String check, List<String> undo,
                  Actions actions) {
            step(node, title, commands, changes, check, undo, null, actions);
        }

        void step(String node, String title, List<String> commands, String changes, String check, List<String> undo,
                  String confirmation, Actions actions) {
            steps.add(new PlanStep(steps.size() + 1, node, title, commands, changes, check, undo, confirmation, actions));
        }

        /**
         * A step of live pcs commands that edit the CIB; the same arguments go to the dry run with {@code pcs -f}.
         * {@code undo}: pcs arguments too.
         */
        void cib(String node, String title, List<List<String>> pcsArgs, String changes, String check, List<List<String>> undo) {
            step(node, title, pcsArgs.stream().map(a -> shell(concat(List.of("pcs"), a))).toList(), changes, check,
                    undo.stream().map(a -> shell(concat(List.of("pcs"), a))).toList(),
                    Actions.node(pcsArgs.stream().<SetupCommand>map(SetupCommand.Pcs::new).toList(),
                            undo.stream().<SetupCommand>map(SetupCommand.Pcs::new).toList()));
            cibChanges.addAll(pcsArgs);
        }
    }
}
