package io.tandem.alerts;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.tandem.fleet.ClusterMode;
import io.tandem.monitor.Finding;
import io.tandem.monitor.HealthDiff;
import io.tandem.monitor.NodeRole;
import io.tandem.monitor.NodeState;
import io.tandem.monitor.PairHealth;
import io.tandem.monitor.Severity;

/**
 * What one pair's alerts say, decided from the sequence of its judged health and the passing of time, so that an
 * automatic failover is told as one WARNING and an outage as CRITICAL. Rules:
 * <ul>
 * <li>When the node that sent the output stops sending, the pair is in an <em>outage</em> until some node sends
 * again. If that happens within the grace, the outage is told once, as a {@link Kind#FAILOVER} at WARNING: who
 * took over from whom (or that the same node resumed, after an in-place restart), the output gap as seen, and the
 * cause seen on the lost node (node crash, NFO failure, NFO stopped, move).</li>
 * <li>Critical findings that an outage brings ({@link #GRACED}: no output, a node that cannot be read while no
 * readable node sends) wait for the grace, counted from the outage's start (or their own, outside an outage);
 * still critical then, they are sent; cleared before, never. An outage that outlasts the grace without any such
 * finding is sent as a critical of its own. Any other critical finding, above all both outputs open, is sent
 * at once.</li>
 * <li>Every item that opened a problem (a critical, a node that left its ready role, a node lost in a takeover)
 * gets a {@link Kind#RECOVERED} item when the problem clears: the finding gone or no longer critical, the node
 * back as a ready passive or active. An escalated outage ends with its failover item.</li>
 * </ul>
 * Not thread-safe: one instance per pair, fed in order by one caller.
 */
final class FailoverGrace {

    /** Findings that an ordinary takeover raises for a moment; they wait for the grace. */
    static final Set<Finding.Kind> GRACED = Set.of(Finding.Kind.NO_OUTPUT, Finding.Kind.NODE_UNREACHABLE);

    enum Kind {
        FAILOVER("failover"), CRITICAL("critical"), ROLE_CHANGE("role-change"), RECOVERED("recovered");

        private final String id;

        Kind(String id) {
            this.id = id;
        }

        String id() {
            return id;
        }
    }

    /**
     * One thing to tell; one entry of an alert's {@code events}.
     *
     * @param subject the finding kind id, or "outage" / "node" for problems that are not findings
     * @param cause one line for the operator
     * @param fields the rest of the webhook entry (from, to, gapSeconds, impact, ...)
     */
    record Item(Kind kind, Severity severity, String subject, String node, String cause, Map<String, Object> fields) {

        Item {
            fields = Map.copyOf(fields);
        }

        /** The webhook's JSON entry; {@code kind}, {@code severity} and {@code cause} are in every one. */
        Map<String, Object> json() {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("kind", kind.id());
            item.put("severity", severity.name());
            item.put("finding", subject);
            item.put("node", node);
            item.put("cause", cause);
            item.putAll(fields);
            return item;
        }
    }

    /** The causes an outage can have, most telling first: a later, more telling sight replaces an earlier one. */
    enum Cause {
        NODE_CRASH("node crash"), NFO_FAILURE("NFO failure"), NFO_STOPPED("NFO stopped"), MOVE("move");

        final String words;

        Cause(String words) {
            this.words = words;
        }
    }

    private record Outage(String from, Instant since, Cause cause, String detail, boolean escalated) {
    }

    private final Duration grace;
    private PairHealth latest;
    /** The one node that sent the output, as last judged; null before the pair had exactly one. */
    private String lastActive;
    private Outage outage;
    /** Graced critical findings waiting, by key: since when they count. */
    private final Map<String, Instant> waiting = new LinkedHashMap<>();
    /** Critical findings sent and not yet recovered, by key. */
    private final Map<String, Finding> openCriticals = new LinkedHashMap<>();
    /** Nodes an item reported out of their ready role, not yet back. */
    private final Map<String, String> downNodes = new LinkedHashMap<>();

    FailoverGrace(Duration grace) {
        if (grace.isNegative()) {
            throw new IllegalArgumentException("the failover grace cannot be negative: " + grace);
        }
        this.grace = grace;
    }

    /** A new judgement of the pair; {@code now} is when it was judged. */
    List<Item> changed(HealthDiff diff, PairHealth health, Instant now) {
        if (latest != null && health.evaluatedAt().isBefore(latest.evaluatedAt())) {
            return List.of(); // delivered after a later judgement (listeners may run on other threads): already past
        }
        latest = health;
        List<Item> items = new ArrayList<>();
        List<String> actives = health.nodes().stream().filter(n -> n.role() == NodeRole.ACTIVE).map(NodeState::node).toList();
        String lostActive = output(health, actives, now, items);
        roles(diff, health, actives, lostActive, items);
        findings(health, now, items);
        items.addAll(due(now));
        return items;
    }

    /** Time passes: what waited for the grace and is still true is due now. */
    List<Item> tick(Instant now) {
        return latest == null ? List.of() : due(now);
    }

    /** Tracks the output; returns the node a takeover or outage concerns (its role changes are told with it). */
    private String output(PairHealth health, List<String> actives, Instant now, List<Item> items) {
        List<String> names = health.nodes().stream().map(NodeState::node).toList();
        if (lastActive != null && !names.contains(lastActive) || outage != null && !names.contains(outage.from())) {
            lastActive = null; // the pair's nodes were renamed or replaced: start over
            outage = null;
        }
        downNodes.keySet().retainAll(names);
        String concerned = null;
        if (outage == null) {
            if (lastActive != null && !actives.contains(lastActive)) {
                concerned = lastActive;
                Cause cause = cause(health.node(lastActive).role());
                String detail = health.node(lastActive).why();
                if (actives.isEmpty()) {
                    outage = new Outage(lastActive, now, cause, detail, false);
                } else {
                    items.add(failover(health, lastActive, actives.get(0), Duration.ZERO, cause, detail, false));
                }
            }
        } else {
            concerned = outage.from();
            NodeState lost = health.node(outage.from());
            Cause seen = cause(lost.role());
            if (seen.compareTo(outage.cause()) < 0) {
                outage = new Outage(outage.from(), outage.since(), seen, lost.why(), outage.escalated());
            }
            if (!actives.isEmpty()) {
                String to = actives.contains(outage.from()) ? outage.from() : actives.get(0);
                items.add(failover(health, outage.from(), to, Duration.between(outage.since(), now), outage.cause(),
                        outage.detail(), outage.escalated()));
                outage = null;
            }
        }
        if (actives.size() == 1) {
            lastActive = actives.get(0);
        }
        return concerned;
    }

    private Item failover(PairHealth health, String from, String to, Duration gap, Cause cause, String detail, boolean escalated) {
        boolean resumed = from.equals(to);
        String gapWords = gap.isZero() ? "no output gap seen (" + to + " was seen sending before " + from + " was seen stopped)"
                : "output gap about " + seconds(gap) + " s as seen by Tandem" + (escalated ? ", longer than the "
                        + seconds(grace) + " s grace" : "");
        String text = (resumed ? from + " resumed output after " + cause.words
                : to + " took over from " + from + " after " + cause.words) + "; " + gapWords;
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("from", from);
        fields.put("to", to);
        fields.put("reason", cause.words);
        fields.put("detail", detail);
        fields.put("gapSeconds", gap.toMillis() / 1000.0);
        fields.put("impact", resumed ? "Output is back on " + from + "." : afterTakeover(health, from, to));
        if (!resumed && !ready(health, health.node(from).role())) {
            downNodes.put(from, text);
        }
        return new Item(Kind.FAILOVER, Severity.WARNING, "failover", to, text, fields);
    }

    private static String afterTakeover(PairHealth health, String from, String to) {
        return to + " sends the output now; " + from + " is " + health.node(from).role() + ": "
                + health.canSurviveLossOf(to).line();
    }

    /** Role changes outside a takeover: a node leaving its ready role is told, and so is its return. */
    private void roles(HealthDiff diff, PairHealth health, List<String> actives, String concerned, List<Item> items) {
        for (HealthDiff.RoleChange change : diff.roleChanges()) {
            String node = change.node();
            if (node.equals(concerned) || actives.contains(node) || downNodes.containsKey(node) || change.from() == null
                    || !ready(health, change.from()) || ready(health, change.to())) {
                continue;
            }
            String text = node + " is now " + change.to() + " (was " + change.from() + "): " + health.node(node).why();
            downNodes.put(node, text);
            items.add(new Item(Kind.ROLE_CHANGE, Severity.WARNING, "node", node, text, Map.of(
                    "from", change.from().name(), "to", change.to().name(),
                    "impact", health.survival().stream().filter(s -> !s.lostNode().equals(node)).findFirst()
                            .map(io.tandem.monitor.Survival::line).orElse(""))));
        }
        for (String node : List.copyOf(downNodes.keySet())) {
            NodeRole role = health.node(node).role();
            if (ready(health, role)) {
                String was = downNodes.remove(node);
                items.add(new Item(Kind.RECOVERED, Severity.INFO, "node", node, "Recovered: " + node + " is back: " + role,
                        Map.of("opened", was, "impact", health.summary())));
            }
        }
    }

    private void findings(PairHealth health, Instant now, List<Item> items) {
        Map<String, Finding> critical = criticals(health);
        for (Finding f : critical.values()) {
            if (openCriticals.containsKey(f.key()) || waiting.containsKey(f.key())) {
                continue;
            }
            if (GRACED.contains(f.kind())) {
                waiting.put(f.key(), outage != null ? outage.since() : now);
            } else {
                items.add(critical(f));
            }
        }
        waiting.keySet().retainAll(critical.keySet()); // cleared within the grace: never told
        for (Finding sent : List.copyOf(openCriticals.values())) {
            if (!critical.containsKey(sent.key())) {
                openCriticals.remove(sent.key());
                Optional<Finding> still = health.findings().stream().filter(f -> f.key().equals(sent.key())).findFirst();
                items.add(new Item(Kind.RECOVERED, Severity.INFO, sent.kind().id(), sent.node(),
                        "Recovered: " + sent.cause() + still.map(f -> " (still " + f.severity() + ": " + f.cause() + ")").orElse(""),
                        Map.of("impact", health.summary())));
            }
        }
    }

    private List<Item> due(Instant now) {
        List<Item> items = new ArrayList<>();
        Map<String, Finding> critical = criticals(latest);
        for (Map.Entry<String, Instant> w : List.copyOf(waiting.entrySet())) {
            Finding f = critical.get(w.getKey());
            if (f != null && !now.isBefore(w.getValue().plus(grace))) {
                waiting.remove(w.getKey());
                items.add(critical(f));
            }
        }
        if (outage != null && !outage.escalated() && !now.isBefore(outage.since().plus(grace))) {
            if (items.isEmpty() && openCriticals.isEmpty()) {
                items.add(new Item(Kind.CRITICAL, Severity.CRITICAL, "outage", outage.from(),
                        "No node has been seen sending output for " + seconds(Duration.between(outage.since(), now))
                                + " s, since " + outage.from() + " stopped (" + outage.cause().words + ": " + outage.detail() + ")",
                        Map.of("impact", "All flow data is being lost now: nothing reaches the SIEM. " + latest.summary())));
            }
            outage = new Outage(outage.from(), outage.since(), outage.cause(), outage.detail(), true);
        }
        return items;
    }

    private Item critical(Finding f) {
        openCriticals.put(f.key(), f);
        return new Item(Kind.CRITICAL, Severity.CRITICAL, f.kind().id(), f.node(), f.cause(), Map.of("impact", f.impact()));
    }

    private static Map<String, Finding> criticals(PairHealth health) {
        Map<String, Finding> critical = new LinkedHashMap<>();
        health.findings().stream().filter(f -> f.severity() == Severity.CRITICAL).forEach(f -> critical.put(f.key(), f));
        return critical;
    }

    /** A node in its place: sending, or the passive the pair's mode wants. */
    private static boolean ready(PairHealth health, NodeRole role) {
        return role == NodeRole.ACTIVE || role == (health.mode() == ClusterMode.COLD ? NodeRole.PASSIVE_COLD : NodeRole.PASSIVE_HOT);
    }

    private static Cause cause(NodeRole lostRole) {
        return switch (lostRole) {
            case UNREACHABLE -> Cause.NODE_CRASH;
            case FAILED -> Cause.NFO_FAILURE;
            case PASSIVE_HOT, PASSIVE_COLD -> Cause.MOVE;
            default -> Cause.NFO_STOPPED;
        };
    }

    private static String seconds(Duration d) {
        return String.format(java.util.Locale.ROOT, "%.1f", d.toMillis() / 1000.0);
    }
}
