package io.tandem.monitor.api;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.tandem.monitor.Finding;
import io.tandem.monitor.HealthDiff;
import io.tandem.monitor.PairListener;
import io.tandem.monitor.PairStates;

/**
 * Server-sent events for automation: one {@code health} event per change of a pair's roles or findings. Events are
 * sent on this stream's own thread in the order they were judged; a slow client delays only this stream.
 */
@RestController
@Tag(name = "Monitor")
class FleetEventsApi implements PairListener, org.springframework.beans.factory.DisposableBean {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(FleetEventsApi.class);
    /** Past this many events waiting for slow clients, new ones are dropped (and logged) rather than fill memory. */
    private static final int MAX_WAITING = 10_000;
    private final java.util.concurrent.ThreadPoolExecutor sender = new java.util.concurrent.ThreadPoolExecutor(1, 1, 0,
            java.util.concurrent.TimeUnit.SECONDS, new java.util.concurrent.LinkedBlockingQueue<>(MAX_WAITING), r -> {
                Thread thread = new Thread(r, "api-events-push");
                thread.setDaemon(true);
                return thread;
            }, (task, executor) -> log.warn("an API health event was dropped: {} events wait for slow clients", MAX_WAITING));

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
        try {
            // the headers and this comment go out at once: a client knows it is subscribed before the first change
            emitter.send(SseEmitter.event().comment("subscribed"));
        } catch (IOException gone) {
            listeners.remove(emitter);
        }
        return emitter;
    }

    @Override
    public void destroy() {
        sender.shutdownNow();
    }

    /** Called under the pair's judging lock: builds the event and queues its sending. */
    @Override
    public void healthChanged(PairStates.HealthChanged event) {
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
        sender.execute(() -> {
            for (SseEmitter emitter : listeners) {
                try {
                    emitter.send(SseEmitter.event().name("health").data(data, MediaType.APPLICATION_JSON));
                } catch (IOException | IllegalStateException gone) {
                    listeners.remove(emitter);
                }
            }
        });
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
