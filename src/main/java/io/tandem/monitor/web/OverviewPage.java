package io.tandem.monitor.web;

import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

import io.tandem.fleet.ClusterView;
import io.tandem.fleet.FleetService;
import io.tandem.monitor.PairStates;
import io.tandem.monitor.Severity;

/** The fleet at a glance: one card per pair, worst first, refreshed in place. */
@Controller
class OverviewPage {

    private final FleetService fleet;
    private final PairStates states;
    private final Clock clock;

    OverviewPage(FleetService fleet, PairStates states, Clock clock) {
        this.fleet = fleet;
        this.states = states;
        this.clock = clock;
    }

    /** A pair's card: its registry entry and, once watched, its state. */
    record Card(ClusterView cluster, PairStates.PairState state, String health, long ageSeconds) {
        int rank() {
            return switch (health) {
                case "CRITICAL" -> 0;
                case "WARNING" -> 1;
                case "UNKNOWN" -> 2;
                default -> 3;
            };
        }
    }

    @GetMapping("/")
    String overview(@RequestParam(required = false) String q, @RequestParam(required = false) String health, Model model) {
        String filter = q == null ? "" : q.strip().toLowerCase(Locale.ROOT);
        List<Card> cards = fleet.list().stream()
                .filter(c -> filter.isEmpty() || c.name().toLowerCase(Locale.ROOT).contains(filter))
                .map(this::card)
                .filter(card -> health == null || health.isBlank() || card.health().equalsIgnoreCase(health))
                .sorted(Comparator.comparingInt(Card::rank).thenComparing(card -> card.cluster().name().toLowerCase(Locale.ROOT)))
                .toList();
        model.addAttribute("cards", cards);
        model.addAttribute("q", q == null ? "" : q);
        model.addAttribute("health", health == null ? "" : health);
        model.addAttribute("empty", cards.isEmpty() && filter.isEmpty() && (health == null || health.isBlank()));
        return "monitor/overview";
    }

    private Card card(ClusterView cluster) {
        return states.state(cluster.id())
                .map(state -> new Card(cluster, state, state.worst().map(Severity::name).orElse("OK"), state.ageSeconds(clock.instant())))
                .orElseGet(() -> new Card(cluster, null, "UNKNOWN", -1));
    }
}
