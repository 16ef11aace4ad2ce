package io.tandem.monitor.web;

import java.time.Clock;
import java.util.UUID;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;

import io.github.wimdeblauwe.htmx.spring.boot.mvc.HxRequest;
import io.tandem.fleet.FleetService;
import io.tandem.monitor.MonitorProperties;
import io.tandem.monitor.PairStates;

/** A pair's health: node roles, whether it survives losing each node, and the findings, worst first. */
@Controller
class PairHealthPage {

    private final FleetService fleet;
    private final PairStates states;
    private final MonitorProperties properties;
    private final Clock clock;

    PairHealthPage(FleetService fleet, PairStates states, MonitorProperties properties, Clock clock) {
        this.fleet = fleet;
        this.states = states;
        this.properties = properties;
        this.clock = clock;
    }

    @HxRequest
    @GetMapping("/clusters/{id}/health")
    String panel(@PathVariable UUID id, Model model) {
        fill(id, model);
        return "monitor/health :: panel";
    }

    @GetMapping("/clusters/{id}/health")
    String page(@PathVariable UUID id, Model model) {
        fill(id, model);
        return "monitor/health";
    }

    private void fill(UUID id, Model model) {
        var cluster = fleet.get(id);
        model.addAttribute("cluster", cluster);
        var state = states.state(id).orElse(null);
        model.addAttribute("state", state);
        long age = state == null ? -1 : state.ageSeconds(clock.instant());
        model.addAttribute("age", age);
        model.addAttribute("stale", age < 0 || age > properties.freshness().toSeconds());
    }
}
