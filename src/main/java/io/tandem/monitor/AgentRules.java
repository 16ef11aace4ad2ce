package io.tandem.monitor;

import java.util.List;

import io.tandem.node.Version;

/**
 * The Tandem agent on each node against this console's build, as {@link GateAgentRules} judges the gate's agent: one
 * older than the console (or from before agents said their version, or saying no version at all) is a warning whose
 * fix is Upgrade agent; two agents that differ are one finding for the pair. Nodes read over SSH have no agent.
 */
final class AgentRules {

    private AgentRules() {
    }

    static void check(Evaluation e, List<Finding> out) {
        check(e, out, Version.ofThisBuild());
    }

    /** @param console this console's build, as {@link Version#ofThisBuild()} says it */
    static void check(Evaluation e, List<Finding> out, String console) {
        List<AgentBuild> builds = e.readings().stream()
                .map(r -> AgentBuild.of(e.access(r.node()), r.snapshot(), console)).toList();
        boolean reportedOne = false;
        for (int i = 0; i < builds.size(); i++) {
            String node = e.readings().get(i).node();
            AgentBuild build = builds.get(i);
            if (build.standing() == AgentBuild.Standing.OLDER) {
                out.add(older(node, build));
                reportedOne = true;
            } else if (build.standing() == AgentBuild.Standing.UNREADABLE) {
                out.add(unreadable(node, build));
                reportedOne = true;
            }
        }
        if (!reportedOne) {
            differing(e, builds, out);
        }
    }

    private static Finding older(String node, AgentBuild build) {
        String which = build.version() == null ? "from before agents reported their version" : "version " + build.version();
        return new Finding(Severity.WARNING, Finding.Kind.AGENT_OUTDATED,
                node + "'s Tandem agent is " + which + ", older than this console's " + consoleLabel(build.console()),
                "This console may ask it for what it does not know yet, so reads or operations on " + node + " can fail or "
                        + "differ. Upgrade agent installs this console's agent and keeps its state, certificate and token.",
                List.of(node + ": " + build.label(), "console: " + build.console()), node)
                .withRemedy(upgrade(node));
    }

    private static Finding unreadable(String node, AgentBuild build) {
        return new Finding(Severity.WARNING, Finding.Kind.AGENT_OUTDATED,
                node + "'s Tandem agent reports a version Tandem cannot read",
                "Tandem cannot tell which agent runs on " + node + " or whether it is current: a broken build, or not a "
                        + "Tandem agent. Upgrade agent replaces it with this console's.",
                List.of(node + " said: " + Texts.excerpt(build.version()), "console: " + build.console()), node)
                .withRemedy(upgrade(node));
    }

    /** Both known, neither older than the console, but not the same: the nodes run two agents. */
    private static void differing(Evaluation e, List<AgentBuild> builds, List<Finding> out) {
        if (!builds.stream().allMatch(AgentBuild::known) || builds.get(0).version().equals(builds.get(1).version())) {
            return;
        }
        String a = e.readings().get(0).node() + " " + builds.get(0).version();
        String b = e.readings().get(1).node() + " " + builds.get(1).version();
        out.add(new Finding(Severity.WARNING, Finding.Kind.AGENT_OUTDATED,
                "The nodes run different Tandem agents: " + a + ", " + b,
                "The two nodes may be read and changed differently, and a failover hands the work to the other one. "
                        + "Run the same version on both.",
                List.of(a, b, "console: " + builds.get(0).console()), null));
    }

    private static Finding.Remedy upgrade(String node) {
        return new Finding.Remedy("UPGRADE_AGENT", node, "Upgrade agent…");
    }

    private static String consoleLabel(String console) {
        return Version.DEVELOPMENT.equals(console) ? "development build" : console;
    }
}
