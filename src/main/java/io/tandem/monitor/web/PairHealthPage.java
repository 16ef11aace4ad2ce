package io.tandem.monitor.web;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.UUID;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;

import io.github.wimdeblauwe.htmx.spring.boot.mvc.HxRequest;
import io.tandem.console.web.SharedPages;
import io.tandem.fleet.ClusterView;
import io.tandem.fleet.FleetService;
import io.tandem.monitor.MonitorProperties;
import io.tandem.monitor.PairStates;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * A pair's health: node roles, whether it survives losing each node, and the findings, worst first. The panel is drawn
 * once per judgement of the pair and shared with the push ({@link HealthPanels}).
 */
@Controller
class PairHealthPage {

    private static final MediaType HTML = new MediaType(MediaType.TEXT_HTML, StandardCharsets.UTF_8);

    private final FleetService fleet;
    private final HealthPanels panels;
    private final PairStream stream;
    private final SharedPages pages;

    PairHealthPage(FleetService fleet, HealthPanels panels, PairStream stream, SharedPages pages) {
        this.fleet = fleet;
        this.panels = panels;
        this.stream = stream;
        this.pages = pages;
    }

    @HxRequest
    @GetMapping("/clusters/{id}/health")
    ResponseEntity<String> panel(@PathVariable UUID id) {
        return ResponseEntity.ok().contentType(HTML).body(panels.panel(fleet.get(id)));
    }

    /**
     * The page around the panel is drawn once per registration of the pair and role set; each copy gets the panel as
     * last drawn (once per judgement) with the clock of now.
     */
    @GetMapping("/clusters/{id}/health")
    ResponseEntity<byte[]> page(@PathVariable UUID id, Model model, HttpServletRequest request, HttpServletResponse response) {
        ClusterView cluster = fleet.get(id);
        model.addAttribute("cluster", cluster);
        model.addAttribute("panelHtml", SharedPages.SLOT);
        return pages.page(request, response, "monitor/health", id, cluster, model.asMap(), panels.panel(cluster));
    }

    @GetMapping(path = "/clusters/{id}/events", produces = "text/event-stream")
    org.springframework.web.servlet.mvc.method.annotation.SseEmitter events(@PathVariable UUID id) {
        return stream.open(id);
    }

    /** The panel's variables, for a page request and for the pushed fragment alike. */
    static void fill(java.util.function.BiConsumer<String, Object> model, io.tandem.fleet.ClusterView cluster,
                     PairStates.PairState state, MonitorProperties properties, Clock clock) {
        model.accept("cluster", cluster);
        model.accept("state", state);
        long age = state == null ? -1 : io.tandem.monitor.NodeObservation.oldestAgeSeconds(state.observations().values(), clock.instant());
        model.accept("age", age);
        // a node never read or not read at its latest attempt leaves the pair's picture incomplete, however recent
        boolean unread = state != null && state.observations().values().stream().anyMatch(o -> !o.reachable());
        model.accept("stale", age < 0 || unread || age > properties.freshness().toSeconds());
        // for js/live.js, which keeps counting the age: the oldest real reading and the console's clock
        model.accept("readAt", state == null ? null : state.observations().values().stream().filter(o -> !o.neverRead())
                .map(o -> o.observedAt().toEpochMilli()).min(Long::compare).orElse(null));
        model.accept("staleAfter", properties.freshness().toSeconds());
        model.accept("serverNow", clock.millis());
        model.accept("details", state == null ? null : PairDetails.of(state, clock.instant(), properties.freshness()));
        model.accept("topology", state == null ? null : Topology.of(state, clock.instant(), properties.freshness()));
    }
}
