package io.tandem.monitor.web;

import java.time.Clock;
import java.util.Set;
import java.util.UUID;

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

    /**
     * What a panel is drawn from: good while the pair's judgement (the same reading, by identity) and its registration
     * are the ones it was drawn from.
     */
    private record Version(PairStates.PairState state, ClusterView cluster) {

        static boolean same(Version kept, Version asked) {
            return kept.state == asked.state && kept.cluster.equals(asked.cluster);
        }
    }

    /** A drawn panel cut where the console's clock goes, so a copy is two strings and the clock. */
    private record Panel(String before, String after) {

        static Panel of(String html) {
            int at = html.indexOf(SERVER_NOW_ATTRIBUTE);
            return at < 0 ? new Panel(html, null)
                    : new Panel(html.substring(0, at), html.substring(at + SERVER_NOW_ATTRIBUTE.length()));
        }

        String copy(long now) {
            return after == null ? before : before + "data-server-now=\"" + now + "\"" + after;
        }
    }

    /** Drawings between two looks for pairs that left the fleet. */
    private static final int FORGET_EVERY = 1024;

    private final java.util.concurrent.atomic.AtomicLong drawings = new java.util.concurrent.atomic.AtomicLong();
    private final io.tandem.console.web.DrawnOnce<UUID, Version, Panel> drawn;
    private final SpringTemplateEngine templates;
    private final PairStates states;
    private final MonitorProperties properties;
    private final Clock clock;

    HealthPanels(SpringTemplateEngine templates, PairStates states, MonitorProperties properties, Clock clock) {
        this.templates = templates;
        this.states = states;
        this.properties = properties;
        this.clock = clock;
        this.drawn = new io.tandem.console.web.DrawnOnce<>(Version::same, kept -> {
            if (drawings.get() % FORGET_EVERY == 0) {
                kept.forgetIf(other -> states.state(other).isEmpty()); // pairs deleted since
            }
        });
    }

    /**
     * The panel of the pair as last judged, for the pair as registered in {@code cluster}; drawn now only when the
     * judgement or the registration changed since the last drawing, and then once for everyone asking meanwhile. Ages
     * in it are as of that drawing (the page's script keeps counting them). Throws what drawing throws.
     */
    String panel(ClusterView cluster) {
        UUID id = cluster.id();
        PairStates.PairState state = states.state(id).orElse(null);
        if (state == null) {
            drawn.forget(id); // not read yet (or deleted): nothing worth keeping
            return Panel.of(draw(cluster, null)).copy(clock.millis());
        }
        return drawn.get(id, new Version(state, cluster), () -> Panel.of(draw(cluster, state))).copy(clock.millis());
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
