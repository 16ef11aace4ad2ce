package io.tandem.monitor.api;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.springframework.context.event.EventListener;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.tandem.monitor.Finding;
import io.tandem.monitor.HealthDiff;
import io.tandem.monitor.PairStates;

/** Server-sent events for automation: one {@code health} event per change of a pair's roles or findings. */
@RestController
@Tag(name = "Monitor")
class FleetEventsApi {

    /** A client that went away is noticed at the next event; an idle stream ends after this and the client reconnects. */
    private static final long TIMEOUT_MILLIS = 30 * 60 * 1000L;

    private final List<SseEmitter> listeners = new CopyOnWriteArrayList<>();

    @GetMapping(path = "/api/v1/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    @Operation(summary = "Stream of health changes of every pair (text/event-stream, event name 'health', JSON data)")
    SseEmitter events() {
        SseEmitter emitter = new SseEmitter(TIMEOUT_MILLIS);
        listeners.add(emitter);
        emitter.onCompletion(() -> listeners.remove(emitter));
        emitter.onTimeout(() -> listeners.remove(emitter));
        emitter.onError(e -> listeners.remove(emitter));
        return emitter;
    }

    @EventListener
    void changed(PairStates.HealthChanged event) {
        if (listeners.isEmpty()) {
            return;
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("clusterId", event.cluster().id().toString());
        data.put("cluster", event.cluster().name());
        if (event.health() != null) {
            data.put("health", event.health().worst().map(Enum::name).orElse("OK"));
            data.put("summary", event.health().summary());
        }
        HealthDiff diff = event.diff();
        data.put("roleChanges", diff.roleChanges().stream()
                .map(c -> Map.of("node", c.node(), "from", c.from().name(), "to", c.to().name())).toList());
        data.put("raised", diff.raised().stream().map(FleetEventsApi::finding).toList());
        data.put("cleared", diff.cleared().stream().map(FleetEventsApi::finding).toList());
        for (SseEmitter emitter : listeners) {
            try {
                emitter.send(SseEmitter.event().name("health").data(data, MediaType.APPLICATION_JSON));
            } catch (IOException | IllegalStateException gone) {
                listeners.remove(emitter);
            }
        }
    }

    private static Map<String, Object> finding(Finding f) {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("kind", f.kind().id());
        item.put("severity", f.severity().name());
        item.put("node", f.node());
        item.put("cause", f.cause());
        return item;
    }
}
