package io.tandem.monitor.web;

import java.time.Clock;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.stereotype.Component;
import org.thymeleaf.context.Context;
import org.thymeleaf.spring6.SpringTemplateEngine;

import io.tandem.fleet.ClusterView;
import io.tandem.monitor.MonitorProperties;
import io.tandem.monitor.PairStates;

/**
 * A pair's health panel, drawn once per judgement of the pair and shared by the push to open pages and by every page
 * and fragment request until the next judgement: between two readings everyone would get the same HTML, and drawing
 * it is most of those requests' cost. Drawing only reads the judgement; it never changes it (ADR 0010).
 * <p>
 * The one part that is not the judgement's, the console's clock for {@code js/live.js}, is put in as each copy is
 * handed out.
 */
@Component
class HealthPanels {

    /** Drawn in place of the console's clock, and replaced by it in each copy handed out. */
    static final String SERVER_NOW = "tandem-server-now";
    private static final String SERVER_NOW_ATTRIBUTE = "data-server-now=\"" + SERVER_NOW + "\"";

    /** One drawing: good while the pair's judgement and its registration are the ones it was drawn from. */
    private record Drawn(PairStates.PairState state, ClusterView cluster, String html) {

        boolean of(PairStates.PairState state, ClusterView cluster) {
            return this.state == state && this.cluster.equals(cluster);
        }
    }

    /** Drawings between two looks for pairs that left the fleet. */
    private static final int FORGET_EVERY = 1024;

    private final Map<UUID, Drawn> drawn = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicLong drawings = new java.util.concurrent.atomic.AtomicLong();
    private final SpringTemplateEngine templates;
    private final PairStates states;
    private final MonitorProperties properties;
    private final Clock clock;

    HealthPanels(SpringTemplateEngine templates, PairStates states, MonitorProperties properties, Clock clock) {
        this.templates = templates;
        this.states = states;
        this.properties = properties;
        this.clock = clock;
    }

    /**
     * The panel of the pair as last judged, for the pair as registered in {@code cluster}; drawn now only when the
     * judgement or the registration changed since the last drawing. Ages in it are as of that drawing (the page's
     * script keeps counting them). Throws what drawing throws.
     */
    String panel(ClusterView cluster) {
        PairStates.PairState state = states.state(cluster.id()).orElse(null);
        Drawn last = drawn.get(cluster.id());
        if (last == null || !last.of(state, cluster)) {
            last = new Drawn(state, cluster, draw(cluster, state));
            if (state == null) {
                drawn.remove(cluster.id()); // not read yet (or deleted): nothing worth keeping
            } else {
                drawn.put(cluster.id(), last);
                if (drawings.get() % FORGET_EVERY == 0) {
                    drawn.keySet().removeIf(id -> states.state(id).isEmpty()); // pairs deleted since
                }
            }
        }
        return last.html().replace(SERVER_NOW_ATTRIBUTE, "data-server-now=\"" + clock.millis() + "\"");
    }

    /** How many panels were drawn since the start (each judgement drawn once, however many pages and pushes). */
    long drawings() {
        return drawings.get();
    }

    private String draw(ClusterView cluster, PairStates.PairState state) {
        drawings.incrementAndGet();
        Context context = new Context();
        PairHealthPage.fill(context::setVariable, cluster, state, properties, clock);
        context.setVariable("serverNow", SERVER_NOW);
        return templates.process("monitor/health", Set.of("panel"), context);
    }
}
