package io.tandem.operation;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.tandem.access.NodeConnections;
import io.tandem.fleet.ClusterMode;
import io.tandem.fleet.ClusterView;
import io.tandem.monitor.NodeRole;
import io.tandem.monitor.PairStates;
import io.tandem.node.config.BackupInfo;
import io.tandem.node.config.CommitResult;
import io.tandem.node.config.ConfigManifest;
import io.tandem.node.config.ManifestEntry;
import io.tandem.operation.Preflight.Check;
import io.tandem.operation.Preflight.Verdict;

/**
 * Roll back: restores a node's files from its newest configuration backup (the one the last copy or rollback took),
 * verifies each restored file's SHA-256 against the hash the backup recorded, and restarts NFO so it reads them.
 */
final class ConfigRollbacks {

    private final OperationPlans plans;
    private final NodeConnections connections;
    private final Clock clock;

    ConfigRollbacks(OperationPlans plans, NodeConnections connections, Clock clock) {
        this.plans = plans;
        this.connections = connections;
        this.clock = clock;
    }

    List<Step> rollback(ClusterView cluster, ClusterView.NodeView node, Optional<PairStates.PairState> state,
                        List<Check> checks) {
        if (cluster.mode() == ClusterMode.COLD) {
            checks.add(new Check(Verdict.BLOCK, "A Cold pair's configuration is on the DRBD volume",
                    "Tandem's copies do not touch a Cold pair's files, so there is no copy to roll back."));
        }
        state.ifPresent(s -> {
            NodeRole role = s.health().node(node.name()).role();
            if (role == NodeRole.ACTIVE) {
                checks.add(new Check(Verdict.BLOCK, node.name() + " is the ACTIVE node",
                        "Roll back the passive, which the copy changed; the active's files are what copies are made from."));
            } else if (!role.known()) {
                checks.add(new Check(Verdict.BLOCK, node.name() + " is " + role, s.health().node(node.name()).why()));
            }
        });
        try {
            Optional<BackupInfo> newest = newest(cluster, node);
            checks.add(newest.isEmpty()
                    ? new Check(Verdict.BLOCK, node.name() + " has no configuration backup", "Backups are taken by copies; "
                            + "there is nothing to roll back.")
                    : new Check(Verdict.PASS, "Newest backup " + newest.get().id() + " (" + newest.get().createdAt() + ")",
                            describe(newest.get())));
        } catch (Exception e) {
            checks.add(new Check(Verdict.BLOCK, "Cannot list " + node.name() + "'s backups", String.valueOf(e.getMessage())));
        }
        checks.add(new Check(Verdict.WARN, "NFO restarts on " + node.name() + " to read the restored files",
                "The output is not affected while " + node.name() + " is passive."));

        BackupInfo[] chosen = new BackupInfo[1];
        Instant[] restartedAt = new Instant[1];
        return List.of(
                new Step("Find the newest backup on " + node.name(), () -> {
                    chosen[0] = newest(cluster, node).orElseThrow(() -> new IllegalStateException(
                            node.name() + " has no configuration backup; nothing was changed."));
                    return Step.Result.done("Backup " + chosen[0].id() + " from " + chosen[0].createdAt() + ": "
                            + describe(chosen[0]));
                }),
                new Step("Restore its files on " + node.name() + " (the current ones are backed up first)", () -> {
                    CommitResult result = connections.call(cluster.id(), node.id(),
                            (access, target) -> access.rollback(target, chosen[0].id()));
                    return Step.Result.done("Restored " + result.files().size() + " files; the versions they replaced are "
                            + "in backup " + result.backupId() + ".");
                }),
                new Step("Verify the restored files' SHA-256 on " + node.name(), () -> Step.Result.done(
                        verify(cluster, node, chosen[0]))),
                new Step("Restart NFO on " + node.name() + " so it reads them", () -> {
                    restartedAt[0] = clock.instant();
                    return Step.Result.done(plans.restartService(cluster, node));
                }),
                new Step("Check that " + node.name() + " runs NFO again", true, () -> Step.Result.done(
                        "Rolled back " + node.name() + " to backup " + chosen[0].id() + " (hash-verified); "
                                + plans.awaitRunning(cluster, node, restartedAt[0]))));
    }

    /** Backups newest first, as the node lists them. */
    List<BackupInfo> backups(ClusterView cluster, ClusterView.NodeView node) throws Exception {
        return connections.call(cluster.id(), node.id(), (access, target) -> access.backups(target));
    }

    private Optional<BackupInfo> newest(ClusterView cluster, ClusterView.NodeView node) throws Exception {
        return backups(cluster, node).stream().findFirst();
    }

    /** Every file the backup recorded now has the recorded hash, or is absent when it did not exist before. */
    private String verify(ClusterView cluster, ClusterView.NodeView node, BackupInfo backup) throws Exception {
        ConfigManifest manifest = connections.call(cluster.id(), node.id(), (access, target) -> access.manifest(target));
        Map<String, ManifestEntry> now = manifest.files().stream()
                .collect(Collectors.toMap(ManifestEntry::path, Function.identity(), (a, b) -> a));
        List<String> wrong = new ArrayList<>();
        for (BackupInfo.FileBefore file : backup.files()) {
            ManifestEntry entry = now.get(file.path());
            if (file.existed() ? entry == null || !file.sha256().equals(entry.sha256()) : entry != null) {
                wrong.add(file.path() + " (expected " + (file.existed() ? file.sha256() : "absent") + ", found "
                        + (entry == null ? "absent" : entry.sha256()) + ")");
            }
        }
        if (!wrong.isEmpty()) {
            throw new IllegalStateException("Not as the backup recorded: " + String.join(", ", wrong)
                    + ". NFO was not restarted; check the node.");
        }
        return backup.files().size() + " files match the hashes backup " + backup.id() + " recorded.";
    }

    static String describe(BackupInfo backup) {
        return backup.files().stream().map(f -> f.path() + (f.existed() ? " " + f.sha256().substring(0, 12) + "…"
                : " (did not exist: removed)")).collect(Collectors.joining(", "));
    }
}
