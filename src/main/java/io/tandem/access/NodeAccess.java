package io.tandem.access;

import java.util.List;

import io.tandem.node.NodeAccessException;
import io.tandem.node.NodeOperations;
import io.tandem.node.NodeSnapshot;
import io.tandem.node.config.ConfigFile;
import io.tandem.node.config.ConfigManifest;
import io.tandem.node.config.ConfigRefusedException;
import io.tandem.node.config.BackupInfo;
import io.tandem.node.config.CommitResult;
import io.tandem.node.config.StagedFile;
import io.tandem.pacemaker.ClusterCommand;
import io.tandem.pacemaker.CommandRejectedException;

/**
 * The one port through which the console learns what is true on a node (and, with operations,
 * changes it). Implemented over the Tandem agent and agentless over SSH; one contract test runs
 * against every implementation.
 */
public interface NodeAccess {

    /** Which transport this adapter serves. */
    NodeTarget.Transport transport();

    /**
     * The key or certificate the node presents, read without trusting or authenticating, so an
     * admin can compare it with the node and pin it.
     */
    PresentedKey presentedKey(NodeTarget node) throws NodeAccessException;

    /** Everything readable on the node now. Refuses when the node's key is not the pinned one. */
    NodeSnapshot snapshot(NodeTarget node) throws NodeAccessException;

    /**
     * Subscribes to the node's change stream, where the transport has one (the agent); {@code onChange}
     * runs for each change. Empty when the transport can only be polled (SSH).
     */
    default java.util.Optional<Watch> watch(NodeTarget node, Runnable onChange) throws NodeAccessException {
        return java.util.Optional.empty();
    }

    /**
     * The node's configuration files (the target's include/exclude globs under its NFO home) with size, mode, mtime,
     * owner and SHA-256, for drift between the two nodes of a pair and for copies. Symbolic links are listed as
     * skipped and never followed.
     *
     * @throws ConfigRefusedException the NFO home does not exist, or the globs are unusable
     */
    ConfigManifest manifest(NodeTarget node) throws NodeAccessException, ConfigRefusedException;

    /**
     * One configuration file, by its path relative to the NFO home, read whole up to the transport's size limit.
     * The same rules hold on every transport (see {@link io.tandem.node.config.ConfigScope#confine}): a path that is
     * absolute, has {@code ..}, lies outside the include globs or passes a symbolic link is refused as
     * {@code OUTSIDE_ROOTS}; a larger file as {@code TOO_LARGE}; a missing one as {@code NOT_FOUND}.
     *
     * @throws ConfigRefusedException the node's configuration rules refused the path (nothing was read)
     * @throws NodeAccessException the node could not be reached or answered nonsense
     */
    ConfigFile readFile(NodeTarget node, String path) throws NodeAccessException, ConfigRefusedException;

    /**
     * Uploads a change into the node's staging area beside the NFO home (same file system, so the commit's swap is
     * a rename) and verifies each file's SHA-256 there. Nothing is staged unless every file passes: paths as for
     * {@link #readFile}, each file within the read limit, the hash as expected ({@code HASH_MISMATCH}), the change
     * id unused ({@code ALREADY_EXISTS}).
     */
    StagedChange stage(NodeTarget node, String changeId, List<StagedFile> files)
            throws NodeAccessException, ConfigRefusedException;

    /**
     * Backs up the current version of every staged file into a timestamped backup, swaps each file atomically
     * (temporary file, fsync, rename), and records the change in the node's journal. A failed swap restores the
     * files already swapped ({@code APPLY_FAILED}); the node never keeps a mix.
     */
    CommitResult commit(NodeTarget node, String changeId) throws NodeAccessException, ConfigRefusedException;

    /** Restores the files a backup recorded (itself backed up first); {@code NOT_FOUND} for an unknown backup. */
    CommitResult rollback(NodeTarget node, String backupId) throws NodeAccessException, ConfigRefusedException;

    /** The node's configuration backups, newest first. */
    List<BackupInfo> backups(NodeTarget node) throws NodeAccessException, ConfigRefusedException;

    /**
     * Removes the node's backups beyond the newest {@code keep} (at least 1, else {@code INVALID_REQUEST}), by the
     * rule of {@link io.tandem.node.config.ConfigStore#beyondRetention}, under the node's commit lock ({@code BUSY}
     * while a commit or rollback runs).
     *
     * @return the backup ids removed, newest first
     */
    List<String> pruneBackups(NodeTarget node, int keep) throws NodeAccessException, ConfigRefusedException;

    /** Starts, stops or restarts NFO's service unit; the outcome carries the exit code the caller must judge. */
    NodeOperations.Outcome service(NodeTarget node, NodeOperations.ServiceAction action) throws NodeAccessException;

    /**
     * Opens or blocks the node's output gate itself (nft, one transaction), outside Pacemaker: for the moment of a
     * make-before-break switchover when Tandem holds the target's gate open until Pacemaker owns it.
     */
    NodeOperations.Outcome gate(NodeTarget node, io.tandem.node.GateChange change) throws NodeAccessException;

    /**
     * Runs one allow-listed pcs command after checking its names against what the cluster has now (crm_mon).
     *
     * @throws CommandRejectedException the cluster has no such resource or node; nothing ran
     * @throws NodeAccessException RequestRefused (type {@code ...:cluster-not-running}) when Pacemaker is down here
     */
    NodeOperations.Outcome pacemaker(NodeTarget node, ClusterCommand command)
            throws NodeAccessException, CommandRejectedException;

    /** Reads what the node has for building a pair (tools, peer reachability, DRBD device); changes nothing. */
    io.tandem.node.SetupProbe.Facts setupProbe(NodeTarget node, io.tandem.node.SetupProbe.Request request) throws NodeAccessException;

    /**
     * Setup's dry run on a node without a cluster: the plan's CIB changes applied with {@code pcs -f} to a file in a
     * temporary directory, crm_simulate on it, the DRBD file parsed; the directory is removed afterwards.
     */
    default io.tandem.node.SetupDryRun.Result setupDryRun(NodeTarget node, io.tandem.node.SetupDryRun.Request request)
            throws NodeAccessException {
        throw new NodeAccessException.ToolMissing(transport() + " access to " + node.name() + " has no setup dry run", null);
    }

    /**
     * One typed step of setup's apply, undo or dismantle ({@link io.tandem.node.SetupCommand}: checked on both sides,
     * run as an argument vector by {@link io.tandem.node.SetupSteps}). The outcome carries the exit code the caller
     * must judge; its argv never holds the hacluster password.
     */
    default NodeOperations.Outcome setupStep(NodeTarget node, io.tandem.node.SetupCommand command) throws NodeAccessException {
        throw new NodeAccessException.ToolMissing(transport() + " access to " + node.name() + " cannot run setup steps", null);
    }

    /**
     * Previews one allow-listed pcs command: {@code crm_simulate} on a copy of the live CIB with the command applied
     * to the copy ({@code pcs -f}), removed afterwards. The cluster itself is not changed.
     *
     * @throws CommandRejectedException the cluster has no such resource or node; nothing ran
     */
    NodeOperations.Simulation simulate(NodeTarget node, ClusterCommand command)
            throws NodeAccessException, CommandRejectedException;

    /** An open change stream; {@link #isOpen()} turns false when it broke and must be opened again. */
    interface Watch extends AutoCloseable {
        boolean isOpen();

        @Override
        void close();
    }

    /** A fingerprint in the transport's usual notation ({@code SHA256:...} for SSH, {@code sha256:<hex>} for TLS). */
    record PresentedKey(String fingerprint, String description) {
    }
}
