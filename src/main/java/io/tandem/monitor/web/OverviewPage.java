package io.tandem.monitor.web;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

import io.tandem.fleet.FleetService;

/** The fleet at a glance: one card per pair, worst first; the list is pushed again when a pair's health changes. */
@Controller
class OverviewPage {

    private final FleetService fleet;
    private final FleetStream stream;

    OverviewPage(FleetService fleet, FleetStream stream) {
        this.fleet = fleet;
        this.stream = stream;
    }

    @GetMapping("/")
    String overview(@RequestParam(required = false) String q, @RequestParam(required = false) String health, Model model) {
        FleetCards.Filter filter = new FleetCards.Filter(q, health);
        FleetStream.Rendered cards = stream.cards(fleet.list(), filter);
        model.addAttribute("cardsHtml", cards.html());
        model.addAttribute("q", filter.q());
        model.addAttribute("health", filter.health());
        model.addAttribute("empty", cards.count() == 0 && filter.none());
        return "monitor/overview";
    }

    /** The card list for this filter, pushed whenever a pair's roles or findings change (htmx SSE extension). */
    @GetMapping(path = "/fleet/events", produces = "text/event-stream")
    SseEmitter events(@RequestParam(required = false) String q, @RequestParam(required = false) String health) {
        return stream.open(new FleetCards.Filter(q, health));
    }
}
