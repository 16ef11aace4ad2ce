package io.tandem.monitor.web;

import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import org.thymeleaf.context.Context;
import org.thymeleaf.spring6.SpringTemplateEngine;

import io.tandem.fleet.FleetService;
import io.tandem.monitor.MonitorProperties;
import io.tandem.monitor.PairStates;

/**
 * Pushes a pair's health panel, rendered on the server, to every browser that has the pair open
 * (htmx SSE extension): a change on a node reaches the page without polling.
 */
@Component
class PairStream {

    /** Browsers that went away are noticed at the next send; an idle stream ends after this and reconnects. */
    private static final long TIMEOUT_MILLIS = 10 * 60 * 1000L;

    private final Map<UUID, List<SseEmitter>> listeners = new ConcurrentHashMap<>();
    private final SpringTemplateEngine templates;
    private final FleetService fleet;
    private final PairStates states;
    private final MonitorProperties properties;
    private final Clock clock;
    private final StreamBeats beats;

    PairStream(SpringTemplateEngine templates, FleetService fleet, PairStates states, MonitorProperties properties, Clock clock,
               StreamBeats beats) {
        this.templates = templates;
        this.fleet = fleet;
        this.states = states;
        this.properties = properties;
        this.clock = clock;
        this.beats = beats;
    }

    SseEmitter open(UUID clusterId) {
        fleet.get(clusterId); // an unknown pair is a 404, not an idle stream
        SseEmitter emitter = new SseEmitter(TIMEOUT_MILLIS);
        List<SseEmitter> forPair = listeners.computeIfAbsent(clusterId, id -> new CopyOnWriteArrayList<>());
        forPair.add(emitter);
        Runnable remove = () -> forPair.remove(emitter);
        emitter.onCompletion(remove);
        emitter.onTimeout(remove);
        emitter.onError(e -> remove.run());
        beats.add(emitter);
        return emitter;
    }

    @EventListener
    void changed(PairStates.Changed event) {
        List<SseEmitter> forPair = listeners.get(event.clusterId());
        if (forPair == null || forPair.isEmpty()) {
            return;
        }
        String html = render(event.clusterId());
        for (SseEmitter emitter : forPair) {
            try {
                emitter.send(SseEmitter.event().name("health").data(html));
            } catch (IOException | IllegalStateException gone) {
                forPair.remove(emitter);
            }
        }
    }

    private String render(UUID clusterId) {
        Context context = new Context();
        PairHealthPage.fill(context::setVariable, fleet.get(clusterId), states.state(clusterId).orElse(null), properties, clock);
        return templates.process("monitor/health", Set.of("panel"), context);
    }
}
