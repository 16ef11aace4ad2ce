package io.tandem.monitor.web;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

import io.tandem.fleet.ClusterView;
import io.tandem.monitor.NodeObservation;
import io.tandem.monitor.PairStates;
import io.tandem.monitor.Severity;

/** The overview's cards for one filter, worst first: the page and the pushed list are built the same way. */
public final class FleetCards {

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
    /**
     * @param readiness "Template readiness 98 % · ", or null without parity
     * @param readAt the oldest reading (epoch ms) of a stale pair, so the browser keeps counting its age; null when
     *        live (its card says "live", true at every push, and the browser says what it can once cut off)
     */
    public record Card(ClusterView cluster, PairStates.PairState state, String health, long ageSeconds, String css, String summary,
                List<CardNode> nodes, String readiness, String freshness, Long readAt, long staleAfter) {

        Card(ClusterView cluster, PairStates.PairState state, String health, long ageSeconds, java.time.Duration freshness) {
            this(cluster, state, health, ageSeconds, "health-" + health.toLowerCase(Locale.ROOT),
                    state == null ? null : state.health().summary(), cardNodes(cluster, state),
                    readinessLine(state), freshnessLine(ageSeconds, freshness), staleReadAt(state, ageSeconds, freshness),
                    freshness.toSeconds());
        }

        public boolean live() {
            return ageSeconds >= 0 && readAt == null;
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
    public record CardNode(String name, String role, String roleCss, String endpoint) {
    }

    private static List<CardNode> cardNodes(ClusterView cluster, PairStates.PairState state) {
        return cluster.nodes().stream().map(n -> {
            String role = state == null ? null : state.health().nodes().stream().filter(s -> s.node().equals(n.name()))
                    .map(s -> s.role().name()).findFirst().orElse(null);
            return new CardNode(n.name(), role, role == null ? null : "role-" + role.toLowerCase(Locale.ROOT), n.endpoint());
        }).toList();
    }

    /**
     * Within the bound the card says "live" rather than a number of seconds: the list is then the same HTML until
     * something changes (a pair going stale is a finding, so a change), and can be rendered once for everyone.
     */
    private static String freshnessLine(long ageSeconds, java.time.Duration freshness) {
        return ageSeconds < 0 ? "not read yet"
                : ageSeconds > freshness.toSeconds() ? "data " + PairDetails.human(java.time.Duration.ofSeconds(ageSeconds)) + " old (stale)"
                : "live (read within " + freshness.toSeconds() + " s)";
    }

    private static String readinessLine(PairStates.PairState state) {
        return state == null || state.parity() == null ? null
                : String.format(Locale.ROOT, "Template readiness %.0f %% · ", state.parity().readiness() * 100);
    }

    private static Long staleReadAt(PairStates.PairState state, long ageSeconds, java.time.Duration freshness) {
        if (state == null || ageSeconds <= freshness.toSeconds()) {
            return null;
        }
        return state.observations().values().stream().map(o -> o.observedAt().toEpochMilli()).min(Long::compare).orElse(null);
    }

    static List<Card> of(List<ClusterView> fleet, PairStates states, Instant now, java.time.Duration freshness, Filter filter) {
        return fleet.stream()
                .filter(filter::accepts)
                .map(cluster -> card(cluster, states, now, freshness))
                .filter(filter::accepts)
                .sorted(Comparator.comparingInt(Card::rank).thenComparing(card -> card.cluster().name().toLowerCase(Locale.ROOT)))
                .toList();
    }

    private static Card card(ClusterView cluster, PairStates states, Instant now, java.time.Duration freshness) {
        return states.state(cluster.id())
                .map(state -> new Card(cluster, state, state.worst().map(Severity::name).orElse("OK"), NodeObservation.oldestAgeSeconds(state.observations().values(), now), freshness))
                .orElseGet(() -> new Card(cluster, null, "UNKNOWN", -1, freshness));
    }
}
