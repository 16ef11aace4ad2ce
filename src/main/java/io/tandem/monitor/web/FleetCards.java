package io.tandem.monitor.web;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

import io.tandem.fleet.ClusterView;
import io.tandem.monitor.PairStates;
import io.tandem.monitor.Severity;

/** The overview's cards for one filter, worst first: the page and the pushed list are built the same way. */
final class FleetCards {

    private FleetCards() {
    }

    /** What the operator filters by; blank means everything. Lower-cased name part, upper-cased health. */
    record Filter(String q, String health) {

        static final int MAX_QUERY = 200;

        Filter {
            q = q == null ? "" : q.strip();
            q = q.length() > MAX_QUERY ? q.substring(0, MAX_QUERY) : q;
            health = health == null ? "" : health.strip().toUpperCase(Locale.ROOT);
        }

        boolean none() {
            return q.isEmpty() && health.isEmpty();
        }

        boolean accepts(ClusterView cluster) {
            return q.isEmpty() || cluster.name().toLowerCase(Locale.ROOT).contains(q.toLowerCase(Locale.ROOT));
        }

        boolean accepts(Card card) {
            return health.isEmpty() || card.health().equals(health);
        }
    }

    /**
     * A pair's card: its registry entry and, once watched, its state, with every text the card shows worked out here,
     * so rendering 500 cards is reading fields, not evaluating logic per card.
     */
    record Card(ClusterView cluster, PairStates.PairState state, String health, long ageSeconds, String css, String summary,
                List<CardNode> nodes, String freshness) {

        Card(ClusterView cluster, PairStates.PairState state, String health, long ageSeconds) {
            this(cluster, state, health, ageSeconds, "health-" + health.toLowerCase(Locale.ROOT),
                    state == null ? null : state.health().summary(), cardNodes(cluster, state), freshnessLine(state, ageSeconds));
        }

        int rank() {
            return switch (health) {
                case "CRITICAL" -> 0;
                case "WARNING" -> 1;
                case "UNKNOWN" -> 2;
                default -> 3;
            };
        }
    }

    /** @param role the node's derived role, null before its first reading */
    record CardNode(String name, String role, String roleCss, String endpoint) {
    }

    private static List<CardNode> cardNodes(ClusterView cluster, PairStates.PairState state) {
        return cluster.nodes().stream().map(n -> {
            String role = state == null ? null : state.health().nodes().stream().filter(s -> s.node().equals(n.name()))
                    .map(s -> s.role().name()).findFirst().orElse(null);
            return new CardNode(n.name(), role, role == null ? null : "role-" + role.toLowerCase(Locale.ROOT), n.endpoint());
        }).toList();
    }

    private static String freshnessLine(PairStates.PairState state, long ageSeconds) {
        String read = ageSeconds < 0 ? "not read yet" : "read " + ageSeconds + " s ago";
        return state == null || state.parity() == null ? read
                : String.format(Locale.ROOT, "Template readiness %.0f %% · %s", state.parity().readiness() * 100, read);
    }

    static List<Card> of(List<ClusterView> fleet, PairStates states, Instant now, Filter filter) {
        return fleet.stream()
                .filter(filter::accepts)
                .map(cluster -> card(cluster, states, now))
                .filter(filter::accepts)
                .sorted(Comparator.comparingInt(Card::rank).thenComparing(card -> card.cluster().name().toLowerCase(Locale.ROOT)))
                .toList();
    }

    private static Card card(ClusterView cluster, PairStates states, Instant now) {
        return states.state(cluster.id())
                .map(state -> new Card(cluster, state, state.worst().map(Severity::name).orElse("OK"), state.ageSeconds(now)))
                .orElseGet(() -> new Card(cluster, null, "UNKNOWN", -1));
    }
}
