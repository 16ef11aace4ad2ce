package io.tandem.monitor;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * What changed between two evaluations of the same pair; history and alerts are built on it. Findings are matched
 * by {@link Finding#key()} (kind and node), so a finding whose numbers move is "changed", not cleared and raised.
 */
public record HealthDiff(List<Finding> raised, List<Finding> cleared, List<Change> changed, List<RoleChange> roleChanges) {

    public HealthDiff {
        raised = List.copyOf(raised);
        cleared = List.copyOf(cleared);
        changed = List.copyOf(changed);
        roleChanges = List.copyOf(roleChanges);
    }

    /** A finding still present with another severity or cause. */
    public record Change(Finding before, Finding after) {
        public boolean worse() {
            return after.severity().compareTo(before.severity()) < 0;
        }
    }

    public record RoleChange(String node, NodeRole from, NodeRole to) {
    }

    /** @param before the previous evaluation, or null for the first one (everything is raised) */
    public static HealthDiff between(PairHealth before, PairHealth after) {
        Map<String, Finding> old = before == null ? Map.of() : byKey(before.findings());
        Map<String, Finding> now = byKey(after.findings());
        List<Finding> raised = after.findings().stream().filter(f -> !old.containsKey(f.key())).toList();
        List<Finding> cleared = before == null ? List.of()
                : before.findings().stream().filter(f -> !now.containsKey(f.key())).toList();
        List<Change> changed = new ArrayList<>();
        for (Finding f : after.findings()) {
            Finding was = old.get(f.key());
            if (was != null && (was.severity() != f.severity() || !was.cause().equals(f.cause()))) {
                changed.add(new Change(was, f));
            }
        }
        List<RoleChange> roles = new ArrayList<>();
        for (NodeState n : after.nodes()) {
            NodeRole from = before == null ? null : before.nodes().stream().filter(b -> b.node().equals(n.node()))
                    .map(NodeState::role).findFirst().orElse(null);
            if (from != n.role()) {
                roles.add(new RoleChange(n.node(), from, n.role()));
            }
        }
        return new HealthDiff(raised, cleared, changed, roles);
    }

    public boolean isEmpty() {
        return raised.isEmpty() && cleared.isEmpty() && changed.isEmpty() && roleChanges.isEmpty();
    }

    private static Map<String, Finding> byKey(List<Finding> findings) {
        return findings.stream().collect(Collectors.toMap(Finding::key, Function.identity()));
    }
}
