package io.tandem.lab.sim;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

import io.tandem.lab.exporter.ExporterSimulator;
import io.tandem.pacemaker.ClusterCommand;
import io.tandem.node.CommandResult;

/**
 * The truth of one simulated HA pair: which node is active, where NFO runs, each node's gate and service, the
 * CIB's constraints and epoch, failures, and (Cold) DRBD. Advanced by {@link #advance(Duration)} on a virtual
 * clock: each step runs Pacemaker's monitors (NFO on every node where it should run, the gate on the active),
 * restarts what failed, and moves the active role away from a node after {@code migrationThreshold} failures,
 * a crash, standby or a ban. Commands ({@link #run(ClusterCommand)}) and faults ({@link #inject}) act at once,
 * as pcs waits for the cluster to settle.
 *
 * <p>What pcs 0.11.5 does is simulated for {@code move}: it writes {@code cli-prefer-<rsc>} (with a node) or
 * {@code cli-ban-<rsc>-on-<current>} (without), waits for the move and removes the constraint; when the
 * resource could not move, the constraint stays and pcs exits 1. {@code ban} leaves {@code cli-ban-<rsc>-on-<node>}
 * until {@code clear}, and so does {@code move-with-constraint}'s {@code cli-prefer-<rsc>}. CIB changes (constraints,
 * standby) increment {@code epoch} and reset {@code num_updates}; status changes (placement, failures) increment {@code num_updates}.
 *
 * <p>Thread-safe: every public method holds the pair's monitor, so the agent's tool calls see one state.
 */
public final class SimulatedPair {

    /**
     * Pacemaker notices a dead NFO at its next recurring monitor, not at once (10 s is a common monitor interval;
     * the demo's is shorter): for this long a killed NFO shows as failed before its in-place restart.
     */
    static final Duration NFO_MONITOR_INTERVAL = Duration.ofSeconds(2);

    private final PairSpec spec;
    private final Map<String, SimNode> nodes = new LinkedHashMap<>();
    private final Map<String, Location> constraints = new LinkedHashMap<>();
    private final List<FailedOp> failures = new ArrayList<>();
    private final SimulatedDrbd drbd;
    private final ExporterSimulator exporter;
    private Instant now;
    private String active;
    private long epoch = 1;
    private long numUpdates;
    private int calls;
    private long nextPid = 4100;

    /** A {@code rsc_location} constraint; score as Pacemaker writes it ({@code INFINITY}, {@code -INFINITY}). */
    record Location(String id, String resource, String node, String score) {
    }

    /** A failed operation as crm_mon lists it. */
    record FailedOp(String resource, String node, String task, int exitCode, String exitStatus, int call,
                    Instant when) {
        String opKey() {
            return resource + "_" + task + "_" + (task.equals("monitor") ? "10000" : "0");
        }
    }

    /** systemd's view of the NFO unit on a node. */
    record Unit(String activeState, String subState, long mainPid, Instant since, int execMainStatus) {
        static Unit dead() {
            return new Unit("inactive", "dead", 0, null, 0);
        }
    }

    static final class SimNode {
        final String name;
        final int id;
        final NfoProcess nfo;
        boolean online = true;
        boolean standby;
        boolean nfoPlaced;
        /** When NFO was killed, until Pacemaker's monitor has noticed; null otherwise. */
        Instant killedAt;
        Unit unit = Unit.dead();
        final Map<String, Integer> failCounts = new LinkedHashMap<>();

        SimNode(String name, int id, NfoProcess nfo) {
            this.name = name;
            this.id = id;
            this.nfo = nfo;
        }

        int failCount(String resource) {
            return failCounts.getOrDefault(resource, 0);
        }
    }

    /**
     * @param processes the NFO process of each node, by node name
     * @param exporter the exporter simulator feeding the pair, for {@link Fault#STOP_TEMPLATES}; null when none
     * @param start the virtual clock's start
     */
    public SimulatedPair(PairSpec spec, Map<String, NfoProcess> processes, ExporterSimulator exporter, Instant start) {
        this.spec = Objects.requireNonNull(spec, "spec");
        if (!processes.keySet().equals(Set.copyOf(spec.nodes()))) {
            throw new IllegalArgumentException("one NFO process per node is required: " + spec.nodes());
        }
        for (String name : spec.nodes()) {
            SimNode node = new SimNode(name, nodes.size() + 1, processes.get(name));
            node.nfo.gate().block(List.of(node.nfo.outputDestination())); // boot default: the passive is safe
            nodes.put(name, node);
        }
        this.drbd = new SimulatedDrbd(spec);
        this.exporter = exporter;
        this.now = Objects.requireNonNull(start, "start");
        place();
    }

    public PairSpec spec() {
        return spec;
    }

    public synchronized Instant now() {
        return now;
    }

    /** The node holding the VIP and the open gate, or null when the pair has none. */
    public synchronized String activeNode() {
        return active;
    }

    public synchronized boolean online(String node) {
        return node(node).online;
    }

    public synchronized long epoch() {
        return epoch;
    }

    public synchronized int failCount(String resource, String node) {
        return node(node).failCount(resource);
    }

    /** Ids of the {@code rsc_location} constraints currently in the CIB made by move/ban. */
    public synchronized List<String> cliConstraints() {
        return constraints.keySet().stream().toList();
    }

    /** Moves the virtual clock and lets DRBD, the monitors and the placement act. */
    public synchronized void advance(Duration step) {
        if (step.isNegative()) {
            throw new IllegalArgumentException("time does not run backwards");
        }
        now = now.plus(step);
        drbd.advance(step.toMillis(), spec.mode() == PairSpec.Mode.COLD ? active : null, onlineNodes());
        monitor();
        place();
    }

    // ---- Pacemaker: monitors and placement ----

    private void monitor() {
        for (SimNode node : nodes.values()) {
            if (!node.online) {
                continue;
            }
            if (node.nfoPlaced && !node.nfo.running()) {
                if (node.killedAt != null && now.isBefore(node.killedAt.plus(NFO_MONITOR_INTERVAL))) {
                    continue; // the monitor has not run since the kill
                }
                node.killedAt = null;
                recordFailure(spec.nfo(), node, "monitor", 7, "not running");
                node.nfoPlaced = false;
                if (allowedNfo(node)) {
                    startNfo(node); // Pacemaker's recovery: stop (already dead), start in place
                }
            } else if (!node.nfoPlaced && node.nfo.running()) {
                stopNfo(node); // a probe found NFO where it must not run
            }
        }
        if (active != null) {
            SimNode node = node(active);
            java.time.Instant held = node.nfo.gate().heldUntil();
            if (held != null && now.isBefore(held)) {
                // gate agent 1.2: Tandem's hold for a handover reads as running until its deadline
            } else if (held != null) {
                recordFailure(spec.gate(), node, "monitor", 1, "error");
                if (node.failCount(spec.gate()) < spec.migrationThreshold()) {
                    node.nfo.gate().open(); // the recovery: stop (blocks), start (opens)
                }
            } else if (node.nfo.gate().blocked()) {
                recordFailure(spec.gate(), node, "monitor", 7, "not running");
                if (node.failCount(spec.gate()) < spec.migrationThreshold()) {
                    node.nfo.gate().open();
                }
            }
        }
    }

    private void place() {
        if (spec.mode() == PairSpec.Mode.HOT) {
            for (SimNode node : nodes.values()) {
                if (allowedNfo(node) && !node.nfoPlaced) {
                    startNfo(node);
                } else if (!allowedNfo(node) && node.nfoPlaced) {
                    stopNfo(node);
                }
            }
        }
        String desired = chooseActive();
        if (!Objects.equals(desired, active)) {
            switchActive(desired);
        }
    }

    private String chooseActive() {
        List<String> candidates = nodes.values().stream().filter(this::eligibleActive).map(n -> n.name).toList();
        for (Location location : constraints.values()) {
            if (location.score().equals("INFINITY") && followsActive(location.resource())
                    && candidates.contains(location.node())) {
                return location.node();
            }
        }
        if (active != null && candidates.contains(active)) {
            return active;
        }
        return candidates.isEmpty() ? null : candidates.get(0);
    }

    private void switchActive(String next) {
        String previous = active;
        if (previous != null && node(previous).online) {
            SimNode old = node(previous);
            old.nfo.gate().block(List.of(old.nfo.outputDestination()));
            if (spec.mode() == PairSpec.Mode.COLD) {
                stopNfo(old);
            }
        }
        active = next;
        if (next != null) {
            SimNode node = node(next);
            if (spec.mode() == PairSpec.Mode.COLD) {
                startNfo(node);
            }
            node.nfo.gate().open();
        }
        numUpdates++;
    }

    private boolean allowedNfo(SimNode node) {
        return node.online && !node.standby && node.failCount(spec.nfo()) < spec.migrationThreshold()
                && !banned(node.name, spec.nfo(), spec.nfoClone());
    }

    private boolean eligibleActive(SimNode node) {
        if (!node.online || node.standby || node.failCount(spec.nfo()) >= spec.migrationThreshold()
                || node.failCount(spec.gate()) >= spec.migrationThreshold()) {
            return false;
        }
        if (constraints.values().stream().anyMatch(l -> l.node().equals(node.name) && l.score().startsWith("-")
                && (followsActive(l.resource()) || l.resource().equals(spec.nfo())
                || l.resource().equals(spec.nfoClone())))) {
            return false;
        }
        return spec.mode() == PairSpec.Mode.HOT || node.name.equals(active) || drbd.canPromote(node.name);
    }

    /** Resources that run only where the active is (colocated with the VIP). */
    private boolean followsActive(String resource) {
        Set<String> followers = spec.mode() == PairSpec.Mode.HOT ? Set.of(spec.vip(), spec.gate())
                : Set.of(spec.vip(), spec.gate(), spec.nfo(), spec.filesystem(), spec.drbd(), spec.drbdClone());
        return followers.contains(resource);
    }

    private boolean banned(String node, String... resources) {
        Set<String> ids = Set.of(resources);
        return constraints.values().stream().anyMatch(l -> l.node().equals(node) && ids.contains(l.resource())
                && l.score().startsWith("-"));
    }

    private void startNfo(SimNode node) {
        try {
            node.nfo.start();
            node.unit = new Unit("active", "running", nextPid++, now, 0);
            node.nfoPlaced = true;
        } catch (IOException e) {
            // start-failure-is-fatal: one failed start bans the resource from the node until cleanup
            recordFailure(spec.nfo(), node, "start", 1, "error");
            node.failCounts.put(spec.nfo(), spec.migrationThreshold());
            node.unit = new Unit("failed", "failed", 0, null, 1);
        }
        numUpdates++;
    }

    private void stopNfo(SimNode node) {
        node.nfo.stop();
        node.unit = Unit.dead();
        node.nfoPlaced = false;
        numUpdates++;
    }

    private void recordFailure(String resource, SimNode node, String task, int exitCode, String exitStatus) {
        node.failCounts.merge(resource, 1, Integer::sum);
        failures.add(new FailedOp(resource, node.name, task, exitCode, exitStatus, ++calls, now));
        numUpdates++;
    }

    // ---- pcs ----

    /** Runs an allow-listed pcs command against the simulated cluster, answering as pcs 0.11 does. */
    public synchronized CommandResult run(ClusterCommand command) {
        if (command.resource() != null && !resourceIds().contains(command.resource())) {
            return error("Error: Resource '" + command.resource() + "' does not exist");
        }
        if (command.node() != null && !nodes.containsKey(command.node())) {
            return error("Error: Node '" + command.node() + "' does not appear to exist in configuration");
        }
        CommandResult result;
        if (command instanceof ClusterCommand.Move move) {
            result = move(move.resource(), move.node());
        } else if (command instanceof ClusterCommand.MoveWithConstraint move) {
            result = moveWithConstraint(move.resource(), move.node());
        } else if (command instanceof ClusterCommand.Ban ban) {
            String id = "cli-ban-" + ban.resource() + "-on-" + ban.node();
            addConstraint(new Location(id, ban.resource(), ban.node(), "-INFINITY"));
            result = ok("Warning: Creating location constraint '" + id + "' with a score of -INFINITY for resource "
                    + ban.resource() + " on " + ban.node() + ".\n\tThis will prevent " + ban.resource()
                    + " from running on " + ban.node() + " until the constraint is removed");
        } else if (command instanceof ClusterCommand.Clear clear) {
            List<String> removed = constraints.values().stream()
                    .filter(l -> l.resource().equals(clear.resource())
                            && (clear.node() == null || l.node().equals(clear.node())))
                    .map(Location::id).toList();
            removed.forEach(constraints::remove);
            if (!removed.isEmpty()) {
                configurationChanged();
            }
            result = ok(removed.stream().map(id -> "Removing constraint: " + id).collect(Collectors.joining("\n")));
        } else if (command instanceof ClusterCommand.Standby standby) {
            node(standby.node()).standby = true;
            configurationChanged();
            result = ok("");
        } else if (command instanceof ClusterCommand.Unstandby unstandby) {
            node(unstandby.node()).standby = false;
            configurationChanged();
            result = ok("");
        } else if (command instanceof ClusterCommand.Cleanup cleanup) {
            cleanup(cleanup.resource(), cleanup.node());
            result = ok("Cleaned up " + cleanup.resource() + (cleanup.node() == null ? " on all nodes"
                    : " on " + cleanup.node()));
        } else if (command instanceof ClusterCommand.Restart restart) {
            result = restart(restart.resource(), restart.node());
        } else {
            throw new IllegalStateException("unhandled command " + command.verb());
        }
        place();
        return result;
    }

    /** pcs 0.11's move-with-constraint: the constraint, and nothing waited for; it stays until clear. */
    private CommandResult moveWithConstraint(String resource, String target) {
        CommandResult refused = unmovable(resource);
        if (refused != null) {
            return refused;
        }
        addConstraint(new Location("cli-prefer-" + resource, resource, target, "INFINITY"));
        return ok("");
    }

    /** pcs's refusal to move {@code resource} at all (a clone, or a resource that does not follow the active), or null. */
    private CommandResult unmovable(String resource) {
        if (spec.mode() == PairSpec.Mode.HOT && (resource.equals(spec.nfo()) || resource.equals(spec.nfoClone()))) {
            return error("Error: cannot move cloned resources");
        }
        if (!followsActive(resource)) {
            return error("Error: cannot move resource '" + resource + "'");
        }
        return null;
    }

    private CommandResult move(String resource, String target) {
        CommandResult refused = unmovable(resource);
        if (refused != null) {
            return refused;
        }
        String from = active;
        if (target == null && from == null) {
            return error("Error: Resource '" + resource + "' is not running on any node");
        }
        if (target != null && target.equals(from)) {
            return error("Error: Resource '" + resource + "' is already running on node '" + target + "'");
        }
        Location location = target == null
                ? new Location("cli-ban-" + resource + "-on-" + from, resource, from, "-INFINITY")
                : new Location("cli-prefer-" + resource, resource, target, "INFINITY");
        addConstraint(location);
        place();
        boolean moved = target == null ? active != null && !active.equals(from) : target.equals(active);
        if (!moved) {
            return error("Error: Unable to move resource '" + resource + "'"
                    + (target == null ? "" : " to node '" + target + "'") + "; location constraint '"
                    + location.id() + "' has been left in place, remove it with 'pcs resource clear " + resource
                    + "'");
        }
        constraints.remove(location.id());
        configurationChanged();
        return ok("Location constraint to move resource '" + resource + "' has been created\n"
                + "Waiting for the cluster to apply configuration changes...\n"
                + "Location constraint created to move resource '" + resource + "' has been removed\n"
                + "Waiting for the cluster to apply configuration changes...\n"
                + "resource '" + resource + "' is running on node '" + active + "'");
    }

    private CommandResult restart(String resource, String on) {
        if (resource.equals(spec.nfo()) || resource.equals(spec.nfoClone())) {
            for (SimNode node : nodes.values()) {
                if (node.nfoPlaced && (on == null || node.name.equals(on))) {
                    stopNfo(node);
                    startNfo(node);
                }
            }
        } else if (resource.equals(spec.gate()) && active != null) {
            node(active).nfo.gate().open();
        }
        return ok(resource + " successfully restarted");
    }

    private void cleanup(String resource, String on) {
        Set<String> ids = resource.equals(spec.nfoClone()) ? Set.of(spec.nfo()) : Set.of(resource);
        for (SimNode node : nodes.values()) {
            if (on == null || node.name.equals(on)) {
                ids.forEach(node.failCounts::remove);
            }
        }
        failures.removeIf(f -> ids.contains(f.resource()) && (on == null || f.node().equals(on)));
        numUpdates++;
    }

    private void addConstraint(Location location) {
        constraints.put(location.id(), location);
        configurationChanged();
    }

    private void configurationChanged() {
        epoch++;
        numUpdates = 0;
    }

    private static CommandResult ok(String stderr) {
        return new CommandResult(0, "", stderr.isEmpty() ? "" : stderr + "\n", false);
    }

    private static CommandResult error(String stderr) {
        return new CommandResult(1, "", stderr + "\n", false);
    }

    /** {@code systemctl start|stop|restart} of the NFO unit on a node, outside Pacemaker's knowledge. */
    synchronized CommandResult serviceControl(String nodeName, String verb) {
        SimNode node = node(nodeName);
        if (!verb.equals("start")) {
            stopNfo(node);
        }
        if (!verb.equals("stop")) {
            startNfo(node);
        }
        return ok("");
    }

    // ---- faults ----

    /**
     * Breaks something on a node, as an operator would in the demo.
     *
     * @throws FaultRefusedException when the fault does not apply (e.g. {@code break-drbd} on a Hot pair, or any
     *         fault on a node that is down)
     */
    public synchronized void inject(String nodeName, Fault fault) {
        SimNode node = node(nodeName);
        if (!node.online) {
            throw new FaultRefusedException(nodeName + " is down; heal the pair first");
        }
        switch (fault) {
            case KILL_NFO -> {
                if (!node.nfo.running()) {
                    throw new FaultRefusedException("NFO is not running on " + nodeName);
                }
                node.nfo.kill();
                node.killedAt = now;
                node.unit = new Unit("failed", "failed", 0, node.unit.since(), 9);
            }
            case CRASH_NODE -> {
                node.nfo.kill();
                node.online = false;
                node.nfoPlaced = false;
                node.unit = Unit.dead();
                if (nodeName.equals(active)) {
                    active = null; // its resources died with it
                }
                numUpdates++;
                place();
            }
            case STOP_TEMPLATES -> {
                if (exporter != null) {
                    exporter.stopTemplatesTo(node.nfo.flowInput());
                }
                io(() -> node.nfo.forgetTemplates(), "lose the templates of " + nodeName);
            }
            case CHANGE_CONFIG -> io(() -> node.nfo.changeConfig(), "change the configuration of " + nodeName);
            case BREAK_DRBD -> {
                if (spec.mode() != PairSpec.Mode.COLD) {
                    throw new FaultRefusedException("break-drbd applies to Cold pairs; this pair is Hot and has no DRBD");
                }
                if (drbd.linkBroken()) {
                    throw new FaultRefusedException("the DRBD link is already broken");
                }
                drbd.breakLink();
            }
            case OPEN_GATE -> node.nfo.gate().open();
            case BLOCK_GATE -> node.nfo.gate().block(List.of(node.nfo.outputDestination()));
            default -> throw new IllegalStateException("unhandled fault " + fault);
        }
    }

    /**
     * Undoes every fault: crashed nodes boot (gate blocked, NFO started where Pacemaker places it), a killed NFO is
     * started again, exporters
     * resume templates, configurations are restored on disk (running NFOs keep what they read until restarted),
     * the DRBD link reconnects (and resyncs), gates match the roles again and failure counts are cleaned up.
     * Operator constraints (move/ban) and standby are left alone: they are not faults.
     */
    public synchronized void heal() {
        drbd.repairLink();
        for (SimNode node : nodes.values()) {
            if (exporter != null) {
                exporter.resumeTemplatesTo(node.nfo.flowInput());
            }
            io(() -> node.nfo.restoreConfig(), "restore the configuration of " + node.name);
            node.online = true;
            node.failCounts.clear();
            if (node.nfoPlaced && !node.nfo.running()) {
                // killed, and Pacemaker's monitor has not noticed yet: started again by place() below, so no failure
                // is recorded after the heal (it would outlive the fault as a finding nobody caused)
                node.killedAt = null;
                node.nfoPlaced = false;
            }
            if (!node.name.equals(active)) {
                node.nfo.gate().block(List.of(node.nfo.outputDestination()));
            } else {
                node.nfo.gate().open();
            }
        }
        failures.clear();
        numUpdates++;
        place();
    }

    private interface IoAction {
        void run() throws IOException;
    }

    private static void io(IoAction action, String what) {
        try {
            action.run();
        } catch (IOException e) {
            throw new FaultRefusedException("cannot " + what + ": " + e.getMessage());
        }
    }

    // ---- what the tools report (package-private: LabToolRunner and the renderers) ----

    SimNode node(String name) {
        SimNode node = nodes.get(name);
        if (node == null) {
            throw new IllegalArgumentException("no node '" + name + "' in this pair; nodes: " + spec.nodes());
        }
        return node;
    }

    Set<String> onlineNodes() {
        Set<String> online = new LinkedHashSet<>();
        nodes.values().stream().filter(n -> n.online).forEach(n -> online.add(n.name));
        return online;
    }

    List<SimNode> nodes() {
        return List.copyOf(nodes.values());
    }

    /** The simulated cluster's fence device: a two-node cluster without fencing is a finding in itself. */
    static final String FENCE_DEVICE = "demo-fence";

    Set<String> resourceIds() {
        return spec.mode() == PairSpec.Mode.HOT
                ? new LinkedHashSet<>(List.of(spec.nfoClone(), spec.nfo(), spec.vip(), spec.gate(), FENCE_DEVICE))
                : new LinkedHashSet<>(List.of(spec.drbdClone(), spec.drbd(), spec.filesystem(), spec.vip(),
                        spec.nfo(), spec.gate(), FENCE_DEVICE));
    }

    List<Location> locations() {
        return List.copyOf(constraints.values());
    }

    List<FailedOp> failures() {
        return List.copyOf(failures);
    }

    String activeOrNull() {
        return active;
    }

    long numUpdates() {
        return numUpdates;
    }

    SimulatedDrbd drbd() {
        return drbd;
    }
}
