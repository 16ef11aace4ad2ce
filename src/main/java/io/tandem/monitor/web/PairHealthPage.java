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
import io.tandem.fleet.ClusterView;
import io.tandem.fleet.FleetService;
import io.tandem.monitor.MonitorProperties;
import io.tandem.monitor.PairStates;

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

    PairHealthPage(FleetService fleet, HealthPanels panels, PairStream stream) {
        this.fleet = fleet;
        this.panels = panels;
        this.stream = stream;
    }

    @HxRequest
    @GetMapping("/clusters/{id}/health")
    ResponseEntity<String> panel(@PathVariable UUID id) {
        return ResponseEntity.ok().contentType(HTML).body(panels.panel(fleet.get(id)));
    }

    @GetMapping("/clusters/{id}/health")
    String page(@PathVariable UUID id, Model model) {
        ClusterView cluster = fleet.get(id);
        model.addAttribute("cluster", cluster);
        model.addAttribute("panelHtml", panels.panel(cluster));
        return "monitor/health";
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
