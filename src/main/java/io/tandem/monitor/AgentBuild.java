package io.tandem.monitor;

import io.tandem.fleet.AccessKind;
import io.tandem.node.NodeSnapshot;
import io.tandem.node.Version;

/**
 * A node's Tandem agent as its latest reading shows it, against this console's own build: what the pair page's node
 * card and the API show, what {@link AgentRules} judges, and whether Upgrade agent is offered. The version is the
 * snapshot's own ({@link NodeSnapshot#agentVersion()}), so knowing it costs no call.
 *
 * @param version what the agent said, unchecked (null when it said nothing or there is no agent); show {@link #label()}
 * @param console this console's build ({@link Version#ofThisBuild()})
 */
public record AgentBuild(Standing standing, String version, String console) {

    public enum Standing {
        /** Read over SSH: there is no agent to speak of. */
        NO_AGENT,
        /** Read through an agent, but no reading now. */
        NOT_READ,
        /** The console's build or a newer one. */
        UP_TO_DATE,
        /** Older than the console's build, or from before agents said theirs (version null). */
        OLDER,
        /** Says something that is no version (a broken build, or not a Tandem agent): nothing known. */
        UNREADABLE,
        /** A build run from classes on one side ({@link Version#DEVELOPMENT}): no order to compare by. */
        UNCOMPARED
    }

    /** @param snapshot the node's latest reading, or null when it has none now */
    public static AgentBuild of(AccessKind access, NodeSnapshot snapshot) {
        return of(access, snapshot, Version.ofThisBuild());
    }

    static AgentBuild of(AccessKind access, NodeSnapshot snapshot, String console) {
        if (access != AccessKind.AGENT) {
            return new AgentBuild(Standing.NO_AGENT, null, console);
        }
        if (snapshot == null) {
            return new AgentBuild(Standing.NOT_READ, null, console);
        }
        String said = snapshot.agentVersion();
        return new AgentBuild(standing(said, console), said, console);
    }

    private static Standing standing(String said, String console) {
        if (said == null) {
            return Standing.OLDER;
        }
        if (said.equals(console)) {
            return Standing.UP_TO_DATE;
        }
        var agent = Version.parse(said);
        if (agent.isEmpty()) {
            return Version.DEVELOPMENT.equals(said) ? Standing.UNCOMPARED : Standing.UNREADABLE;
        }
        return Version.parse(console).map(own -> agent.get().olderThan(own) ? Standing.OLDER : Standing.UP_TO_DATE)
                .orElse(Standing.UNCOMPARED);
    }

    /** What to show: the version, or "unknown", "unreadable", "not read", "none (SSH)"; never the unchecked text. */
    public String label() {
        return switch (standing) {
            case NO_AGENT -> "none (SSH)";
            case NOT_READ -> "not read";
            case UNREADABLE -> "unreadable";
            default -> version == null ? "unknown" : version;
        };
    }

    /** Upgrade agent would help: older, or saying no version. */
    public boolean upgradable() {
        return standing == Standing.OLDER || standing == Standing.UNREADABLE;
    }

    /** Whether this is an agent whose version is known and readable, for comparing the two nodes. */
    boolean known() {
        return version != null && (standing == Standing.UP_TO_DATE || standing == Standing.UNCOMPARED);
    }
}
