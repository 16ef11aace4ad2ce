package io.tandem.monitor.web;

import java.time.Clock;
import java.util.List;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

import io.tandem.fleet.FleetService;
import io.tandem.monitor.PairStates;

/** The fleet at a glance: one card per pair, worst first; the list is pushed again when a pair's health changes. */
@Controller
class OverviewPage {

    private final FleetService fleet;
    private final PairStates states;
    private final Clock clock;
    private final FleetStream stream;

    OverviewPage(FleetService fleet, PairStates states, Clock clock, FleetStream stream) {
        this.fleet = fleet;
        this.states = states;
        this.clock = clock;
        this.stream = stream;
    }

    @GetMapping("/")
    String overview(@RequestParam(required = false) String q, @RequestParam(required = false) String health, Model model) {
        FleetCards.Filter filter = new FleetCards.Filter(q, health);
        List<FleetCards.Card> cards = FleetCards.of(fleet.list(), states, clock.instant(), filter);
        model.addAttribute("cards", cards);
        model.addAttribute("q", filter.q());
        model.addAttribute("health", filter.health());
        model.addAttribute("empty", cards.isEmpty() && filter.none());
        return "monitor/overview";
    }

    /** The card list for this filter, pushed whenever a pair's roles or findings change (htmx SSE extension). */
    @GetMapping(path = "/fleet/events", produces = "text/event-stream")
    SseEmitter events(@RequestParam(required = false) String q, @RequestParam(required = false) String health) {
        return stream.open(new FleetCards.Filter(q, health));
    }
}
