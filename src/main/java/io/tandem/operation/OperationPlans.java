package io.tandem.operation;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import org.springframework.stereotype.Component;

import io.tandem.access.NodeConnections;
import io.tandem.console.Rejected;
import io.tandem.fleet.ClusterMode;
import io.tandem.fleet.ClusterView;
import io.tandem.monitor.ConfigDrift;
import io.tandem.monitor.Finding;
import io.tandem.monitor.MonitorProperties;
import io.tandem.monitor.NodeObservation;
import io.tandem.monitor.NodeRole;
import io.tandem.monitor.NodeState;
import io.tandem.monitor.PairStates;
import io.tandem.monitor.Survival;
import io.tandem.node.Durations;
import io.tandem.node.NodeOperations;
import io.tandem.node.config.CommitResult;
import io.tandem.node.config.ConfigFile;
import io.tandem.node.config.CopyCheck;
import io.tandem.node.config.StagedFile;
import io.tandem.operation.Preflight.Check;
import io.tandem.operation.Preflight.Verdict;
import io.tandem.pacemaker.ClusterCommand;

/**
 * What each operation checks first and which steps it runs. Preflights judge from the monitor's latest picture of
 * the pair (the same one the dashboard shows), so an operator is never asked to confirm something the page
 * contradicts; the steps then act through the nodes' own access and wait for the monitor to see the effect.
 */
@Component
class OperationPlans {

    private static final Set<NodeRole> RUNNING_ROLES = Set.of(NodeRole.ACTIVE, NodeRole.PASSIVE_HOT);

    private final PairStates states;
    private final NodeConnections connections;
    private final ConfigDrift drift;
    private final MonitorProperties monitor;
    private final OperationProperties properties;
    private final Clock clock;
    private final Switchovers switchovers;
    private final ColdOperations cold;
    private final ConfigRollbacks rollbacks;
    private final ConfigCopies copies;

    OperationPlans(PairStates states, NodeConnections connections, ConfigDrift drift, MonitorProperties monitor,
                   OperationProperties properties, Clock clock) {
        this.states = states;
        this.connections = connections;
        this.drift = drift;
        this.monitor = monitor;
        this.properties = properties;
        this.clock = clock;
        this.switchovers = new Switchovers(this, states, connections, properties, clock);
        this.cold = new ColdOperations(this, states, properties, clock);
        this.rollbacks = new ConfigRollbacks(this, connections, clock);
        this.copies = new ConfigCopies(drift);
    }

    /** A preflight and the steps that follow it. */
    record Plan(Preflight preflight, List<Step> steps) {
    }

    Plan plan(ClusterView cluster, OperationKind kind, String nodeName) {
        return plan(cluster, kind, nodeName, null);
    }

    /** @param files for a configuration copy, the operator's choice of files to copy; null: every changed file */
    Plan plan(ClusterView cluster, OperationKind kind, String nodeName, List<String> files) {
        ClusterView.NodeView node = node(cluster, nodeName);
        ClusterView.NodeView peer = peer(cluster, node);
        List<Check> checks = new ArrayList<>();
        Optional<PairStates.PairState> state = currentState(cluster, checks);
        List<Step> steps = switch (kind) {
            case RESTART_NFO -> restart(cluster, node, peer, state, checks);
            case COPY_CONFIG -> copy(cluster, node, peer, state, checks, files);
            case FAILOVER -> failover(cluster, node, peer, state, checks);
            case SWITCHOVER -> {
                switchovers.check(cluster, node, peer, state, checks);
                yield switchovers.switchover(cluster, node, peer, false);
            }
            case ROLLBACK_CONFIG -> rollbacks.rollback(cluster, node, state, checks);
            case DRILL -> drill(cluster, node, peer, state, checks);
            case RESTART_ACTIVE, RESTART_ACTIVE_AND_BACK -> {
                boolean back = kind == OperationKind.RESTART_ACTIVE_AND_BACK;
                switchovers.checkRestart(cluster, node, peer, state, back, checks);
                yield switchovers.restartActive(cluster, node, peer, back);
            }
            default -> throw new IllegalArgumentException(kind + " is planned by PacemakerControls");
        };
        boolean acceptDataLoss = false;
        if (kind == OperationKind.FAILOVER && cluster.mode() == ClusterMode.COLD) {
            acceptDataLoss = cold.checkFailover(cluster, node, state, checks);
            if (acceptDataLoss) {
                List<Check> accepted = List.copyOf(ColdOperations.acceptingDataLoss(checks, state, peer.name()));
                checks.clear();
                checks.addAll(accepted);
            }
            steps = cold.withNfoAnswer(cluster, node, steps);
        }
        // what moves the pair's output is confirmed with the pair's name, the rest with the node's
        String phrase = acceptDataLoss ? ColdOperations.dataLossPhrase(cluster)
                : kind == OperationKind.COPY_CONFIG || kind == OperationKind.RESTART_NFO || kind == OperationKind.ROLLBACK_CONFIG
                ? node.name() : cluster.name();
        return new Plan(new Preflight(kind, node.name(), checks, steps.stream().map(Step::name).toList(), phrase), steps);
    }

    private static ClusterView.NodeView node(ClusterView cluster, String nodeName) {
        return cluster.nodes().stream().filter(n -> n.name().equals(nodeName)).findFirst()
                .orElseThrow(() -> Rejected.invalid("unknown-node", "node", "'" + nodeName + "' is not a node of "
                        + cluster.name() + "; choose " + cluster.nodes().get(0).name() + " or " + cluster.nodes().get(1).name() + "."));
    }

    private static ClusterView.NodeView peer(ClusterView cluster, ClusterView.NodeView node) {
        return cluster.nodes().get(0).id().equals(node.id()) ? cluster.nodes().get(1) : cluster.nodes().get(0);
    }

    /** The files a copy to {@code target} would write now, with their diffs: read from both nodes, for the preflight page. */
    CopyPreview previewCopy(ClusterView cluster, String target) {
        ClusterView.NodeView node = node(cluster, target);
        return copies.preview(cluster, peer(cluster, node), node);
    }

    /** Refuses (400, naming the path) a choice of files a copy to {@code target} cannot honour now. */
    void requireChoosable(ClusterView cluster, String target, List<String> files) throws Exception {
        ClusterView.NodeView node = node(cluster, target);
        copies.requireChoosable(cluster, peer(cluster, node), node, files);
    }

    Optional<PairStates.PairState> currentState(ClusterView cluster, List<Check> checks) {
        Optional<PairStates.PairState> state = states.state(cluster.id());
        if (state.isEmpty()) {
            checks.add(new Check(Verdict.BLOCK, "Tandem has not read this pair yet",
                    "Without a current picture of both nodes nothing can be checked; wait for the first reading."));
            return state;
        }
        // each node on its own: one fresh reading must never vouch for a node that could not be read
        List<String> readAgo = new ArrayList<>();
        for (ClusterView.NodeView node : cluster.nodes()) {
            NodeObservation observation = state.get().observations().get(node.name());
            if (observation == null || observation.neverRead()) {
                checks.add(new Check(Verdict.BLOCK, node.name() + " has not been read yet",
                        "Without a current picture of both nodes nothing can be checked; wait for the first reading."));
                continue;
            }
            long age = Math.max(0, Duration.between(observation.observedAt(), clock.instant()).toSeconds());
            if (!observation.reachable()) {
                checks.add(new Check(Verdict.BLOCK, "Cannot read " + node.name() + ": " + observation.failure().reason(),
                        "Tandem cannot check or see the effect of an operation on a node it cannot read; fix the reading first. "
                                + observation.failure().message()));
            } else if (age > monitor.freshness().toSeconds()) {
                checks.add(new Check(Verdict.BLOCK, node.name() + "'s data is " + Durations.words(Duration.ofSeconds(age)) + " old",
                        "Tandem cannot see the effect of an operation on a node it cannot read; fix the reading first."));
            } else {
                readAgo.add(node.name() + " " + Durations.words(Duration.ofSeconds(age)) + " ago");
            }
        }
        if (readAgo.size() == cluster.nodes().size()) {
            checks.add(new Check(Verdict.PASS, "Both nodes read: " + String.join(", ", readAgo),
                    "The checks below are judged from these readings."));
        }
        return state;
    }

    // ---- restart ----

    private List<Step> restart(ClusterView cluster, ClusterView.NodeView node, ClusterView.NodeView peer,
                               Optional<PairStates.PairState> state, List<Check> checks) {
        state.ifPresent(s -> {
            NodeState target = s.health().node(node.name());
            switch (target.role()) {
                case UNREACHABLE -> checks.add(new Check(Verdict.BLOCK, node.name() + " is unreachable", target.why()));
                case UNKNOWN -> checks.add(new Check(Verdict.BLOCK, node.name() + "'s role is unknown", target.why()));
                case ACTIVE -> {
                    checks.add(new Check(Verdict.WARN, node.name() + " is ACTIVE: its output stops while NFO restarts",
                            "Usually seconds; records arriving meanwhile are lost and Pacemaker may fail over if it notices."));
                    Survival survival = s.health().canSurviveLossOf(node.name());
                    if (!survival.survives()) {
                        checks.add(new Check(Verdict.WARN, "If the restart fails, nobody carries the output", survival.reason()));
                    }
                }
                case PASSIVE_COLD -> checks.add(new Check(Verdict.BLOCK, node.name() + " is the Cold passive and stays stopped",
                        "In Cold mode Pacemaker starts NFO on the passive when it takes over; starting it now would run it "
                                + "without its replicated configuration."));
                default -> checks.add(new Check(Verdict.PASS, node.name() + " is " + target.role() + ": the output is not affected",
                        target.why()));
            }
        });
        Instant[] restartedAt = new Instant[1];
        return List.of(
                new Step("Restart NFO on " + node.name() + " (" + node.serviceUnit() + ")", () -> {
                    restartedAt[0] = clock.instant();
                    return Step.Result.done(restartService(cluster, node));
                }).ifInterrupted("the restart may or may not have been sent. See " + node.name() + "'s role on the pair page: "
                        + "if NFO does not run there, restart it again."),
                new Step("Wait until " + node.name() + " runs NFO again", () -> Step.Result.done(
                        awaitRunning(cluster, node, restartedAt[0])))
                        .ifInterrupted("NFO was restarted on " + node.name() + "; check on the pair page that it runs again."));
    }

    // ---- configuration copy ----

    private List<Step> copy(ClusterView cluster, ClusterView.NodeView target, ClusterView.NodeView source,
                            Optional<PairStates.PairState> state, List<Check> checks, List<String> chosen) {
        if (cluster.mode() == ClusterMode.COLD) {
            return cold.copy(cluster, target, source, state, checks);
        }
        state.ifPresent(s -> {
            NodeState to = s.health().node(target.name());
            NodeState from = s.health().node(source.name());
            if (to.role() == NodeRole.ACTIVE) {
                checks.add(new Check(Verdict.BLOCK, target.name() + " is the ACTIVE node",
                        "The copy goes from the active to the passive; choose " + source.name() + " as the target after a failover, not now."));
            } else if (from.role() != NodeRole.ACTIVE) {
                checks.add(new Check(Verdict.BLOCK, source.name() + " is " + from.role() + ", not ACTIVE",
                        "Tandem copies the configuration the active runs with; there is no active to copy from now."));
            } else if (!to.role().known()) {
                checks.add(new Check(Verdict.BLOCK, target.name() + " is " + to.role(), to.why()));
            } else {
                checks.add(new Check(Verdict.PASS, "From " + source.name() + " (ACTIVE) to " + target.name() + " (" + to.role() + ")",
                        "Only files that differ are sent; files only on " + target.name() + " and ignored files are left alone."));
            }
            List<Finding> driftFindings = s.health().findings(Finding.Kind.CONFIG_DRIFT);
            // differing files are what the copy replaces: a caution to read, never an OK beside a difference
            checks.add(driftFindings.isEmpty()
                    ? new Check(Verdict.PASS, "No drift at the last comparison", "The copy compares again and may find nothing to do.")
                    : new Check(Verdict.WARN, driftFindings.get(0).cause() + ": the copy replaces them on " + target.name(),
                            String.join(", ", driftFindings.get(0).details())));
            checks.add(new Check(Verdict.WARN, "NFO restarts on " + target.name() + " to read the copied files",
                    "The output is not affected while " + target.name() + " is passive, but until it runs again the pair "
                            + "cannot survive losing " + source.name() + "."));
        });
        String changeId = "tandem-copy-" + UUID.randomUUID().toString().substring(0, 8);
        List<String> toCopy = new ArrayList<>();
        List<StagedFile> files = new ArrayList<>();
        Instant[] restartedAt = new Instant[1];
        CommitResult[] committed = new CommitResult[1];
        return List.of(
                new Step("Compare the configurations of " + source.name() + " and " + target.name()
                        + (chosen == null ? "" : "; copy only the chosen " + String.join(", ", chosen)), () -> {
                    ConfigDrift.Comparison comparison = drift.compare(cluster);
                    ConfigCopies.Split split = ConfigCopies.Split.of(comparison, source.name());
                    // a chosen file is never one of these (the choice is checked against what the copy writes)
                    if (chosen == null && !split.tooLarge().isEmpty()) {
                        throw new IllegalStateException("Too large to hash and copy safely: " + String.join(", ", split.tooLarge())
                                + ". Copy these by hand; nothing was changed.");
                    }
                    toCopy.addAll(split.chosen(chosen));
                    List<String> notChosen = split.toCopy().stream().filter(p -> !toCopy.contains(p)).toList();
                    String leftAlone = split.onlyOnTarget().isEmpty() ? "" : " Left alone (only on " + target.name() + "): "
                            + String.join(", ", split.onlyOnTarget()) + ".";
                    String ignored = split.ignored().isEmpty() ? "" : " Ignored by the pair's list: "
                            + String.join(", ", split.ignored()) + ".";
                    String unchosen = notChosen.isEmpty() ? "" : " Not chosen, left as they are: " + String.join(", ", notChosen) + ".";
                    if (toCopy.isEmpty()) {
                        return Step.Result.nothingMoreToDo((split.toCopy().isEmpty() ? "The configurations are identical"
                                : "None of the chosen files differs any more") + "; nothing to copy." + unchosen + leftAlone + ignored);
                    }
                    return Step.Result.done(toCopy.size() + (toCopy.size() == 1 ? " file" : " files") + " to copy: "
                            + String.join(", ", toCopy) + "." + unchosen + leftAlone + ignored);
                }).ifInterrupted("nothing was changed on " + target.name() + "; start the copy again."),
                new Step("Read the files from " + source.name(), () -> {
                    long bytes = 0;
                    for (String path : toCopy) {
                        ConfigFile file = connections.call(cluster.id(), source.id(), (access, node) -> access.readFile(node, path));
                        files.add(StagedFile.of(file));
                        bytes += file.bytes().length;
                    }
                    return Step.Result.done("Read " + files.size() + " files, " + bytes + " bytes.");
                }).ifInterrupted("nothing was changed on " + target.name() + " (files were only read from " + source.name()
                        + "); start the copy again."),
                new Step("Stage them on " + target.name() + " and verify their SHA-256 there", () -> {
                    var staged = connections.call(cluster.id(), target.id(), (access, node) -> access.stage(node, changeId, files));
                    return Step.Result.done("Staged as " + staged.changeId() + ": " + String.join(", ", staged.staged()) + ".");
                }).ifInterrupted(target.name() + "'s configuration is unchanged (a staged change is never applied by itself; "
                        + "it may stay under " + target.nfoHome() + "/.tandem/staging/" + changeId + "). Start the copy again."),
                new Step("Back up " + target.name() + "'s files and swap in the copies", () -> {
                    var result = connections.call(cluster.id(), target.id(), (access, node) -> access.commit(node, changeId));
                    committed[0] = result;
                    return Step.Result.done("Swapped " + result.files().size() + " files; the previous versions are in backup "
                            + result.backupId() + " on " + target.name() + ".");
                }).ifInterrupted(target.name() + " swaps the files all or none, but Tandem did not hear which. Open the pair's "
                        + "drift view: if the files now match " + source.name() + ", " + target.name() + " holds the copies but NFO "
                        + "has not read them, so restart NFO on " + target.name() + "; if they still differ, " + target.name()
                        + " kept its files: start the copy again. The previous files are in " + target.nfoHome()
                        + "/.tandem/backups (the backup named after " + changeId + ")."),
                new Step("Restart NFO on " + target.name() + " so it reads them", () -> {
                    restartedAt[0] = clock.instant();
                    return Step.Result.done(restartService(cluster, target));
                }).ifInterrupted(target.name() + " holds the copied files, but NFO there may not have restarted to read them: "
                        + "restart NFO on " + target.name() + " unless the pair page shows it started after this operation."),
                new Step("Check that " + target.name() + " runs NFO with the copied files", true, () -> {
                    String running = awaitRunning(cluster, target, restartedAt[0]);
                    // the source was read before the copy; the target alone now says whether it holds those bytes
                    Map<String, String> staged = files.stream().collect(Collectors.toMap(StagedFile::path, StagedFile::expectedSha256));
                    List<String> still = CopyCheck.notLanded(staged, committed[0], connections.manifest(cluster.id(), target.id()));
                    if (!still.isEmpty()) {
                        throw new IllegalStateException("Not as copied from " + source.name() + " on " + target.name() + ": "
                                + String.join(", ", still) + " (changed again on " + target.name() + " meanwhile?)");
                    }
                    return Step.Result.done(running + " The copied files are on " + target.name() + " as read from " + source.name() + ".");
                }).ifInterrupted("the files were copied and NFO was restarted on " + target.name() + "; check on the pair page "
                        + "that it runs NFO and that the drift view shows no difference."),
                pruneBackups(cluster, target));
    }

    /**
     * Retention after a successful copy: the target keeps its newest backups. Old backups are housekeeping, so a node
     * that cannot remove them now leaves the copy succeeded and says so; the next copy tries again.
     */
    private Step pruneBackups(ClusterView cluster, ClusterView.NodeView target) {
        int keep = properties.backups().keep();
        return new Step("Keep the newest " + keep + " configuration backups on " + target.name(), () -> {
            try {
                List<String> removed = connections.call(cluster.id(), target.id(), (access, node) -> access.pruneBackups(node, keep));
                return Step.Result.done(removed.isEmpty() ? "No backup older than the newest " + keep + "."
                        : "Removed " + removed.size() + " older " + (removed.size() == 1 ? "backup" : "backups") + ": "
                        + String.join(", ", removed) + ".");
            } catch (io.tandem.node.NodeAccessException | io.tandem.node.config.ConfigRefusedException e) {
                return Step.Result.done("Could not remove older backups (" + e.getMessage() + "); they stay on " + target.name()
                        + " until the next copy.");
            }
        }).ifInterrupted("the copy is done; older backups may still be on " + target.name() + ", the next copy removes them.");
    }

    // ---- failover ----

    private List<Step> failover(ClusterView cluster, ClusterView.NodeView target, ClusterView.NodeView current,
                                Optional<PairStates.PairState> state, List<Check> checks) {
        checkFailover(cluster, target, current, state, checks);
        return failoverSteps(cluster, target, current);
    }

    private void checkFailover(ClusterView cluster, ClusterView.NodeView target, ClusterView.NodeView current,
                               Optional<PairStates.PairState> state, List<Check> checks) {
        String resource = movedResource(cluster);
        state.ifPresent(s -> {
            NodeState to = s.health().node(target.name());
            NodeState from = s.health().node(current.name());
            if (to.role() == NodeRole.ACTIVE) {
                checks.add(new Check(Verdict.BLOCK, target.name() + " is already ACTIVE", "Choose the passive node as the new active."));
            } else if (from.role() != NodeRole.ACTIVE) {
                checks.add(new Check(Verdict.BLOCK, "No node is ACTIVE now (" + current.name() + " is " + from.role() + ")",
                        "A manual failover moves a working output; first let Pacemaker recover or fix " + current.name() + "."));
            } else if (to.role() != NodeRole.PASSIVE_HOT && to.role() != NodeRole.PASSIVE_COLD) {
                checks.add(new Check(Verdict.BLOCK, target.name() + " is " + to.role() + ", not a ready passive", to.why()));
            } else {
                Survival survival = s.health().canSurviveLossOf(current.name());
                if (survival.survives()) {
                    checks.add(new Check(Verdict.PASS, target.name() + " can take over", survival.reason()));
                } else {
                    checks.add(new Check(Verdict.BLOCK, target.name() + " cannot take over cleanly", survival.reason()));
                    survival.blockers().stream().skip(1).forEach(f -> checks.add(new Check(Verdict.BLOCK, f.cause(), f.impact())));
                }
            }
            s.health().findings(Finding.Kind.LEFTOVER_CONSTRAINT).forEach(f -> checks.add(new Check(Verdict.WARN, f.cause(),
                    "The move adds its own constraint and removes it afterwards; the leftover one may pull the resource back.")));
            // what would happen is an OK only when it will happen
            if (checks.stream().noneMatch(c -> c.verdict() == Verdict.BLOCK)) {
                checks.add(new Check(Verdict.PASS, "Pacemaker moves " + resource + " to " + target.name(),
                        cluster.mode() == ClusterMode.HOT
                                ? "Hot: the gate follows; expect an output gap of seconds."
                                : "Cold: NFO starts on " + target.name() + " and learns templates again; expect an output gap of minutes."));
            }
        });
    }

    /** The failover's move, its wait for the role swap (the headline) and its clean-up, which clears the constraint. */
    private List<Step> failoverSteps(ClusterView cluster, ClusterView.NodeView target, ClusterView.NodeView current) {
        String resource = movedResource(cluster);
        Instant[] movedAt = new Instant[1];
        return List.of(
                new Step("Ask Pacemaker to move " + resource + " to " + target.name() + " (pcs resource move)", () -> {
                    movedAt[0] = clock.instant();
                    NodeOperations.Outcome outcome = connections.call(cluster.id(), target.id(),
                            (access, node) -> access.pacemaker(node, new ClusterCommand.Move(resource, target.name())));
                    requireSuccess(outcome, "pcs resource move");
                    return Step.Result.done(firstLine(outcome.stdout(), "Pacemaker accepted the move."));
                }).ifInterrupted("Pacemaker may have begun the move. See on the pair page which node is ACTIVE, then remove "
                        + "the move's constraint if it is left: pcs resource clear " + resource + "."),
                new Step("Wait until " + target.name() + " is ACTIVE and " + current.name() + " no longer sends", true, () -> {
                    PairStates.PairState seen = await(cluster, properties.failoverTimeout(), movedAt[0],
                            s -> s.health().node(target.name()).role() == NodeRole.ACTIVE
                                    && s.health().node(current.name()).role() != NodeRole.ACTIVE,
                            target.name() + " ACTIVE and " + current.name() + " not");
                    Duration took = Duration.between(movedAt[0], clock.instant());
                    return Step.Result.done(String.format("Roles swapped %.1f s after the move: %s is ACTIVE, %s is %s.",
                            took.toMillis() / 1000.0, target.name(), current.name(), seen.health().node(current.name()).role()));
                }).ifInterrupted("Pacemaker was asked to move " + resource + " to " + target.name() + ". See on the pair page "
                        + "which node is ACTIVE, then remove the move's constraint, or Pacemaker keeps " + resource
                        + " there: pcs resource clear " + resource + "."),
                // like finally: runs after a failed move or a timed-out wait too, as pcs leaves its constraint then
                Step.cleanup("Remove the temporary move constraint (pcs resource clear " + resource + ")",
                        new Step.Fix(OperationKind.CLEAR_CONSTRAINTS, resource), () -> {
                    NodeOperations.Outcome outcome = connections.call(cluster.id(), target.id(),
                            (access, node) -> access.pacemaker(node, new ClusterCommand.Clear(resource, null)));
                    requireSuccess(outcome, "pcs resource clear");
                    return Step.Result.done(firstLine(outcome.stdout(), "No constraint was left."));
                }).ifInterrupted("the roles swapped; check that no move constraint is left (the pair page reports a leftover "
                        + "one) and remove it: pcs resource clear " + resource + "."));
    }

    // ---- drill ----

    /**
     * The drill (ADR 0019): the named active's output to its peer and back, on a healthy pair only. Hot: the
     * switchover's checks and two switchovers; Cold: the failover's checks, a replica that is UpToDate and connected
     * (a drill never accepts data loss), and two failovers with the time until NFO answered.
     */
    private List<Step> drill(ClusterView cluster, ClusterView.NodeView active, ClusterView.NodeView passive,
                             Optional<PairStates.PairState> state, List<Check> checks) {
        Optional<NodeRole> role = state.map(s -> s.health().node(active.name()).role());
        boolean hot = cluster.mode() == ClusterMode.HOT;
        if (role.isPresent() && role.get() != NodeRole.ACTIVE) {
            checks.add(new Check(Verdict.BLOCK, active.name() + " is " + role.get() + ", not the ACTIVE node",
                    "A drill hands the output from the active to its peer and back; name the active node."));
        } else if (hot) {
            switchovers.check(cluster, passive, active, state, checks);
        } else {
            checkFailover(cluster, passive, active, state, checks);
            Optional<String> problem = ColdOperations.replicaProblem(cluster, state, passive.name());
            checks.add(problem.isEmpty()
                    ? new Check(Verdict.PASS, passive.name() + "'s DRBD disk is UpToDate and connected",
                            "Everything the active wrote is on " + passive.name() + "; nothing is lost by either move.")
                    : new Check(Verdict.BLOCK, problem.get(), "A drill never risks data: reconnect DRBD and let it resync "
                            + "first (the pair page shows its progress)."));
        }
        if (checks.stream().noneMatch(c -> c.verdict() == Verdict.BLOCK)) {
            checks.add(new Check(Verdict.PASS, "Then " + active.name() + " takes the output back the same way",
                    hot ? "Once it is PASSIVE_HOT with 100 % template readiness again; checked again before moving back."
                            : "Once it is the Cold passive again with its DRBD disk UpToDate and connected."));
        }
        return hot ? switchovers.drill(cluster, active, passive)
                : cold.drill(cluster, active, passive, failoverSteps(cluster, passive, active),
                        failoverSteps(cluster, active, passive));
    }

    /** What Pacemaker moves to change the active: the VIP (the gate is colocated with it), else the gate, else NFO. */
    static String movedResource(ClusterView cluster) {
        if (cluster.vipResource() != null && !cluster.vipResource().isBlank()) {
            return cluster.vipResource();
        }
        if (cluster.mode() == ClusterMode.HOT && cluster.gateResource() != null && !cluster.gateResource().isBlank()) {
            return cluster.gateResource();
        }
        return cluster.nfoResource();
    }

    // ---- shared ----

    String restartService(ClusterView cluster, ClusterView.NodeView node) throws Exception {
        NodeOperations.Outcome outcome = connections.call(cluster.id(), node.id(),
                (access, target) -> access.service(target, NodeOperations.ServiceAction.RESTART));
        requireSuccess(outcome, String.join(" ", outcome.argv()));
        return "Ran " + String.join(" ", outcome.argv()) + " (exit 0).";
    }

    String awaitRunning(ClusterView cluster, ClusterView.NodeView node, Instant since) throws Exception {
        PairStates.PairState seen = await(cluster, properties.restartTimeout(), since,
                s -> RUNNING_ROLES.contains(s.health().node(node.name()).role()), node.name() + " running NFO");
        NodeState state = seen.health().node(node.name());
        return node.name() + " is " + state.role() + " (" + state.why() + ").";
    }

    /**
     * Waits for the monitor to show the pair in the wanted state, judged only from readings taken after
     * {@code since} (an older reading says nothing about the operation's effect).
     */
    PairStates.PairState await(ClusterView cluster, Duration timeout, Instant since,
                                       Predicate<PairStates.PairState> wanted, String what) throws Exception {
        Instant deadline = clock.instant().plus(timeout);
        PairStates.PairState last = null;
        while (clock.instant().isBefore(deadline)) {
            Optional<PairStates.PairState> state = states.state(cluster.id());
            if (state.isPresent()) {
                last = state.get();
                boolean fresh = last.observations().values().stream().allMatch(o -> !o.observedAt().isBefore(since));
                if (fresh && wanted.test(last)) {
                    return last;
                }
            }
            Thread.sleep(properties.pollInterval().toMillis());
        }
        throw new IllegalStateException("Waited " + timeout.toSeconds() + " s for " + what + "; the pair now: "
                + (last == null ? "not read" : last.health().summary()));
    }

    static void requireSuccess(NodeOperations.Outcome outcome, String what) {
        if (!outcome.succeeded()) {
            String said = firstLine(outcome.stderr(), firstLine(outcome.stdout(), "no output"));
            throw new IllegalStateException(what + " failed with exit " + outcome.exitCode() + ": " + said);
        }
    }

    static String firstLine(String text, String fallback) {
        if (text == null || text.isBlank()) {
            return fallback;
        }
        return text.strip().lines().findFirst().orElse(fallback);
    }
}
