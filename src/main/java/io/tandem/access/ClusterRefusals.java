package io.tandem.access;

import io.tandem.agent.wire.AgentProtocol;
import io.tandem.node.NodeAccessException;
import io.tandem.node.NodeOperations;

/**
 * A cluster that cannot be asked, in the words the agent uses for it, so a caller sees the same failure whether the
 * command went through the agent or over SSH.
 */
public final class ClusterRefusals {

    public static final String NOT_RUNNING = "cluster-not-running";
    public static final String UNREADABLE = "cluster-unreadable";

    private ClusterRefusals() {
    }

    public static NodeAccessException of(NodeOperations.ClusterUnavailable e, String where) {
        return e.running()
                ? new NodeAccessException.BadAnswer(where + ": " + e.getMessage(), e)
                : new NodeAccessException.RequestRefused(409, AgentProtocol.problemType(NOT_RUNNING), null,
                        where + ": " + e.getMessage());
    }
}
