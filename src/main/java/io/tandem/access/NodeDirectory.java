package io.tandem.access;

import java.util.UUID;

/**
 * Where the node gateway looks nodes up and records a pinned key: implemented by the fleet, which owns the
 * registry. Each method is one short transaction of its own and never waits on a node, so {@link NodeConnections}
 * can call the node between them without holding a database connection.
 */
public interface NodeDirectory {

    /**
     * How to reach a node now, its credential decrypted for this call only.
     *
     * @throws io.tandem.console.Rejected NOT_FOUND when the pair or the node is not registered
     */
    NodeTarget target(UUID clusterId, UUID nodeId);

    /**
     * How to reach a node for a read, as the fleet was last read for everyone (pages, API, monitor): no database call
     * of its own, a change through this console seen at once, one made on another console within the fleet's re-read
     * (2 s). Empty when that reading does not hold the node (registered since on another console): look it up.
     */
    default java.util.Optional<NodeTarget> lastRead(UUID clusterId, UUID nodeId) {
        return java.util.Optional.empty();
    }

    /**
     * Pins the key or certificate the node presented when it was reached at {@code reached}. Refused when the node's
     * address, access kind or port changed meanwhile: the key was read from an endpoint the node no longer has.
     *
     * @throws io.tandem.console.Rejected NOT_FOUND when the node is gone, CONFLICT when its endpoint changed
     */
    void pin(UUID clusterId, UUID nodeId, NodeTarget reached, String fingerprint);

    /**
     * How to reach the node over SSH: its access when registered over SSH, else the SSH access kept when Install agent
     * switched it to its agent (for Upgrade and Remove agent).
     *
     * @throws io.tandem.console.Rejected CONFLICT when the node has no SSH access stored
     */
    NodeTarget sshTarget(UUID clusterId, UUID nodeId);

    /**
     * Switches an SSH node to the agent installed on it: the token becomes its credential and the certificate its pin,
     * while its SSH key and host key pin are kept for {@link #switchToSsh}. Audited.
     */
    void switchToAgent(UUID clusterId, UUID nodeId, String token, String certificateFingerprint);

    /** Switches a node back to the SSH access kept by {@link #switchToAgent}; nothing when it is on SSH. Audited. */
    void switchToSsh(UUID clusterId, UUID nodeId);
}
