package io.tandem.monitor.web;

import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

import io.tandem.console.web.SharedPages;
import io.tandem.fleet.FleetService;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/** The fleet at a glance: one card per pair, worst first; the list is pushed again when a pair's health changes. */
@Controller
class OverviewPage {

    private final FleetService fleet;
    private final FleetStream stream;
    private final SharedPages pages;

    OverviewPage(FleetService fleet, FleetStream stream, SharedPages pages) {
        this.fleet = fleet;
        this.stream = stream;
        this.pages = pages;
    }

    /** Drawn once per card list (a change of health or of the fleet, or the periodic refresh) and role set. */
    @GetMapping("/")
    ResponseEntity<byte[]> overview(@RequestParam(required = false) String q, @RequestParam(required = false) String health,
                                    Model model, HttpServletRequest request, HttpServletResponse response) {
        FleetCards.Filter filter = new FleetCards.Filter(q, health);
        FleetStream.Rendered cards = stream.cards(fleet.list(), filter);
        model.addAttribute("cardsHtml", cards.html());
        model.addAttribute("q", filter.q());
        model.addAttribute("health", filter.health());
        model.addAttribute("empty", cards.count() == 0 && filter.none());
        return pages.page(request, response, "monitor/overview", filter, cards, model.asMap());
    }

    /** The card list for this filter, pushed whenever a pair's roles or findings change (htmx SSE extension). */
    @GetMapping(path = "/fleet/events", produces = "text/event-stream")
    SseEmitter events(@RequestParam(required = false) String q, @RequestParam(required = false) String health) {
        return stream.open(new FleetCards.Filter(q, health));
    }
}
