package io.tandem.access;

import io.tandem.node.NodeAccessException;
import io.tandem.node.NodeSnapshot;

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
     * The node's configuration files with their hashes, for drift between the two nodes of a pair.
     * Empty when the transport cannot list them yet (SSH).
     */
    default java.util.Optional<io.tandem.node.config.ConfigManifest> manifest(NodeTarget node) throws NodeAccessException {
        return java.util.Optional.empty();
    }

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
