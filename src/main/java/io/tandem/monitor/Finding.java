package io.tandem.monitor;

import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * One thing wrong with a pair, in words for an operator under stress.
 *
 * @param cause what is wrong, one line, with node names and numbers
 * @param impact what happens now, or after a failover, and where to look
 * @param details the evidence, one fact per line
 * @param node the node it concerns, or null when it concerns the pair
 * @param remedy the console operation that fixes it (the page offers it as one click to its preflight), or null
 */
public record Finding(Severity severity, Kind kind, String cause, String impact, List<String> details, String node,
                      Remedy remedy) {

    /**
     * An operation that fixes a finding: its kind as the operations module names it and what it acts on (a node, a
     * resource, or the pair's name). Named by strings so judging never depends on the module that acts.
     */
    public record Remedy(String operation, String subject, String label) {
        public Remedy {
            Objects.requireNonNull(operation, "operation");
            Objects.requireNonNull(subject, "subject");
            Objects.requireNonNull(label, "label");
        }
    }

    public Finding(Severity severity, Kind kind, String cause, String impact, List<String> details, String node) {
        this(severity, kind, cause, impact, details, node, null);
    }

    public Finding withRemedy(Remedy fix) {
        return new Finding(severity, kind, cause, impact, details, node, fix);
    }

    /** Worst first; then a fixed order of kinds and nodes, so the same facts always list the same way. */
    public static final Comparator<Finding> ORDER = Comparator.comparing(Finding::severity)
            .thenComparing(Finding::kind)
            .thenComparing(Finding::node, Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparing(Finding::cause);

    public Finding {
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(cause, "cause");
        Objects.requireNonNull(impact, "impact");
        details = details == null ? List.of() : List.copyOf(details);
    }

    /** Identity across evaluations: a pair has at most one finding of a kind per node (or for itself). */
    public String key() {
        return kind.id() + "@" + (node == null ? "pair" : node);
    }

    public boolean concerns(String nodeName) {
        return node == null || node.equals(nodeName);
    }

    /**
     * What can be wrong. The {@link #id()} is stable: alerts, history and the API refer to it.
     * {@link #blocksTakeover()} marks kinds that, at WARNING or worse, stop a node from taking over cleanly.
     */
    public enum Kind {
        SPLIT_BRAIN_OUTPUT("split-brain-output", false),
        NO_OUTPUT("no-output", true),
        KEY_CHANGED("key-changed", true),
        NODE_UNREACHABLE("node-unreachable", true),
        FACTS_MISSING("facts-missing", true),
        STALE_DATA("stale-data", true),
        PASSIVE_NOT_READY("passive-not-ready", true),
        TEMPLATE_GAP("template-gap", true),
        STALE_TEMPLATES("stale-templates", false),
        CONFIG_DRIFT("config-drift", true),
        DRBD_SPLIT_BRAIN("drbd-split-brain", true),
        DRBD_DEGRADED("drbd-degraded", true),
        DRBD_RESYNCING("drbd-resyncing", true),
        GATE_UNRELIABLE("gate-unreliable", false),
        GATE_AGENT_MISSING("gate-agent-missing", true),
        GATE_AGENT_OUTDATED("gate-agent-outdated", false),
        /** The node's Tandem agent is older than the console's, says no readable version, or differs from the peer's. */
        AGENT_OUTDATED("agent-outdated", false),
        PACEMAKER_DISAGREES("pacemaker-disagrees", true),
        PACEMAKER_FAILURES("pacemaker-failures", false),
        LEFTOVER_CONSTRAINT("leftover-constraint", true),
        NO_QUORUM("no-quorum", true),
        NODE_OFFLINE_IN_PACEMAKER("node-offline-in-pacemaker", true),
        STANDBY("standby", true),
        NO_FENCING("no-fencing", false),
        MAINTENANCE("maintenance", true),
        /** An operation's clean-up failed or never ran: what it put in place (e.g. a cli-prefer) may still be there. */
        CLEANUP_FAILED("cleanup-failed", false);

        private final String id;
        private final boolean blocksTakeover;

        Kind(String id, boolean blocksTakeover) {
            this.id = id;
            this.blocksTakeover = blocksTakeover;
        }

        public String id() {
            return id;
        }

        public boolean blocksTakeover() {
            return blocksTakeover;
        }
    }
}
