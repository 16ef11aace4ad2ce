package io.tandem.operation;

import java.util.List;

import io.tandem.fleet.AccessKind;
import io.tandem.monitor.AgentBuild;

/**
 * A node's Tandem agent on the pair page's node card: its build against this console's, and the agent operations an
 * ADMIN is offered there, each leading to its preflight. Install for a node read over SSH; for one read through an
 * agent, Upgrade when it is older (or says no readable version) and Remove.
 */
public record AgentCard(String node, AgentBuild build, List<OperationKind> offered) {

    public AgentCard {
        offered = List.copyOf(offered);
    }

    static AgentCard of(String node, AccessKind access, AgentBuild build) {
        if (access != AccessKind.AGENT) {
            return new AgentCard(node, build, List.of(OperationKind.INSTALL_AGENT));
        }
        return new AgentCard(node, build, build.upgradable() ? List.of(OperationKind.UPGRADE_AGENT, OperationKind.REMOVE_AGENT)
                : List.of(OperationKind.REMOVE_AGENT));
    }
}
