package io.tandem.monitor.web;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import org.springframework.web.util.HtmlUtils;

import io.tandem.fleet.FleetService;
import io.tandem.monitor.PairListener;
import io.tandem.monitor.PairStates;

/**
 * Pushes a pair's health panel, rendered on the server, to every browser that has the pair open (htmx SSE
 * extension): a change on a node reaches the page without polling.
 * <p>
 * Rendering happens on this class's own threads, never on the monitor's: a reading only marks its pair as due, and
 * the panel is drawn once for however many readings arrived meanwhile. A panel that cannot be drawn is logged and
 * replaced by an error panel in the browsers; it changes nothing the monitor judged.
 */
@Component
class PairStream implements PairListener, SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(PairStream.class);
    /** Browsers that went away are noticed at the next send; an idle stream ends after this and reconnects. */
    private static final long TIMEOUT_MILLIS = 10 * 60 * 1000L;
    /** Two threads: one slow browser connection must not hold every pair's pushes. */
    private static final int PUSHERS = 2;
    private static final Duration FAILURE_LOG_EVERY = Duration.ofMinutes(1);

    private final Map<UUID, List<SseEmitter>> listeners = new ConcurrentHashMap<>();
    /** Pairs with a push queued and not yet started: a further reading adds nothing, the push draws the latest. */
    private final Set<UUID> due = ConcurrentHashMap.newKeySet();
    private final Map<UUID, Instant> failureLogged = new ConcurrentHashMap<>();
    private final HealthPanels panels;
    private final FleetService fleet;
    private final PairStates states;
    private final Clock clock;
    private volatile ExecutorService pushers;
    private final StreamBeats beats;

    PairStream(HealthPanels panels, FleetService fleet, PairStates states, Clock clock, StreamBeats beats) {
        this.panels = panels;
        this.fleet = fleet;
        this.states = states;
        this.clock = clock;
        this.beats = beats;
    }

    SseEmitter open(UUID clusterId) {
        return open(clusterId, new SseEmitter(TIMEOUT_MILLIS));
    }

    SseEmitter open(UUID clusterId, SseEmitter emitter) {
        fleet.get(clusterId); // an unknown pair is a 404, not an idle stream
        List<SseEmitter> forPair = listeners.computeIfAbsent(clusterId, id -> new CopyOnWriteArrayList<>());
        forPair.add(emitter);
        Runnable remove = () -> forPair.remove(emitter);
        emitter.onCompletion(remove);
        emitter.onTimeout(remove);
        emitter.onError(e -> remove.run());
        beats.add(emitter);
        return emitter;
    }

    /** Called on a node reader's thread: only queues the push. */
    @Override
    public void observed(UUID clusterId) {
        List<SseEmitter> forPair = listeners.get(clusterId);
        ExecutorService executor = pushers;
        if (forPair == null || forPair.isEmpty() || executor == null || !due.add(clusterId)) {
            return;
        }
        try {
            executor.execute(() -> push(clusterId));
        } catch (java.util.concurrent.RejectedExecutionException stopping) {
            due.remove(clusterId);
        }
    }

    private void push(UUID clusterId) {
        due.remove(clusterId); // before drawing: a reading from now on queues another push
        List<SseEmitter> forPair = listeners.get(clusterId);
        if (forPair == null || forPair.isEmpty()) {
            return;
        }
        String html;
        try {
            html = render(clusterId);
        } catch (RuntimeException e) {
            html = failed(clusterId, e);
        }
        for (SseEmitter emitter : forPair) {
            try {
                emitter.send(SseEmitter.event().name("health").data(html));
            } catch (IOException | IllegalStateException gone) {
                forPair.remove(emitter);
            }
        }
    }

    String render(UUID clusterId) {
        // the pair as last judged, so the panel is drawn from memory while the database does not answer
        return panels.panel(states.state(clusterId).map(PairStates.PairState::cluster).orElseGet(() -> fleet.get(clusterId)));
    }

    /** The panel that says it could not be drawn, so a page never keeps showing an old picture as if it were live. */
    private String failed(UUID clusterId, RuntimeException e) {
        Instant now = clock.instant();
        Instant last = failureLogged.get(clusterId);
        if (last == null || !now.isBefore(last.plus(FAILURE_LOG_EVERY))) {
            failureLogged.put(clusterId, now);
            log.warn("the health panel of pair {} could not be drawn (logged at most once a minute); its judgement is unaffected",
                    clusterId, e);
        }
        String at = java.time.format.DateTimeFormatter.ISO_LOCAL_TIME.format(now.atZone(java.time.ZoneOffset.UTC).toLocalTime().withNano(0));
        return "<section class=\"panel health-panel render-failed\" id=\"health\" data-health=\"UNDRAWN\" role=\"alert\">"
                + "<h2>Health</h2><p><strong>This panel could not be drawn at " + HtmlUtils.htmlEscape(at) + " UTC.</strong> "
                + "The pair is still read and judged, and alerts still go out; the API (/api/v1/clusters/"
                + HtmlUtils.htmlEscape(clusterId.toString()) + "/state) shows its state. The console log has the error.</p></section>";
    }

    /**
     * Also a restart (Spring's test contexts are paused and resumed): a stop drops the pushes queued and not begun, and
     * their pairs' marks would keep every later push of those pairs from being queued.
     */
    @Override
    public void start() {
        due.clear();
        AtomicInteger n = new AtomicInteger();
        pushers = Executors.newFixedThreadPool(PUSHERS, r -> {
            Thread thread = new Thread(r, "pair-push-" + n.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    @Override
    public void stop() {
        ExecutorService executor = pushers;
        pushers = null;
        if (executor != null) {
            executor.shutdownNow();
        }
        listeners.values().forEach(forPair -> forPair.forEach(SseEmitter::complete));
        listeners.clear();
    }

    @Override
    public boolean isRunning() {
        return pushers != null;
    }
}
