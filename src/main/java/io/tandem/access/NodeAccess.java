package io.tandem.access;

import io.tandem.node.NodeAccessException;
import io.tandem.node.NodeSnapshot;
import io.tandem.node.config.ConfigFile;
import io.tandem.node.config.ConfigManifest;
import io.tandem.node.config.ConfigRefusedException;

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
