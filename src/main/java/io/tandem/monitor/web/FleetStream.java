package io.tandem.monitor.web;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import org.thymeleaf.context.Context;
import org.thymeleaf.spring6.SpringTemplateEngine;

import io.tandem.fleet.ClusterView;
import io.tandem.fleet.FleetService;
import io.tandem.monitor.MonitorProperties;
import io.tandem.monitor.PairStates;

/**
 * Pushes the fleet overview's card list to every browser that has it open, each with its own filter, when any
 * pair's roles or findings change. Changes are gathered for {@link #GATHER} so a burst across many pairs costs one
 * render per filter, not one per pair; the list is also sent every {@code overviewRefresh} so ages stay current.
 */
@Component
class FleetStream implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(FleetStream.class);
    /** Browsers that went away are noticed at the next send; an idle stream ends after this and reconnects. */
    private static final long TIMEOUT_MILLIS = 10 * 60 * 1000L;
    /** Long enough to gather a burst of changes, short enough that the operator sees it at once. */
    private static final long GATHER = 200;

    private record Listener(SseEmitter emitter, FleetCards.Filter filter) {
    }

    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private final AtomicBoolean changed = new AtomicBoolean();
    private final SpringTemplateEngine templates;
    private final FleetService fleet;
    private final PairStates states;
    private final MonitorProperties properties;
    private final Clock clock;
    private ScheduledExecutorService pusher;
    private volatile Instant lastPush = Instant.EPOCH;

    FleetStream(SpringTemplateEngine templates, FleetService fleet, PairStates states, MonitorProperties properties, Clock clock) {
        this.templates = templates;
        this.fleet = fleet;
        this.states = states;
        this.properties = properties;
        this.clock = clock;
    }

    SseEmitter open(FleetCards.Filter filter) {
        SseEmitter emitter = new SseEmitter(TIMEOUT_MILLIS);
        Listener listener = new Listener(emitter, filter);
        listeners.add(listener);
        Runnable remove = () -> listeners.remove(listener);
        emitter.onCompletion(remove);
        emitter.onTimeout(remove);
        emitter.onError(e -> remove.run());
        return emitter;
    }

    @EventListener
    void healthChanged(PairStates.HealthChanged event) {
        changed.set(true);
    }

    private void tick() {
        try {
            Instant now = clock.instant();
            boolean due = !now.isBefore(lastPush.plus(properties.overviewRefresh()));
            if ((changed.getAndSet(false) || due) && !listeners.isEmpty()) {
                lastPush = now;
                push(now);
            }
        } catch (RuntimeException e) {
            log.warn("fleet overview push failed: {}", e.toString());
        }
    }

    /** One render per distinct filter, whatever the number of browsers. */
    private void push(Instant now) {
        List<ClusterView> clusters = fleet.list();
        Map<FleetCards.Filter, String> rendered = new HashMap<>();
        for (Listener listener : listeners) {
            String html = rendered.computeIfAbsent(listener.filter(), filter -> render(clusters, filter, now));
            try {
                listener.emitter().send(SseEmitter.event().name("cards").data(html));
            } catch (IOException | IllegalStateException gone) {
                listeners.remove(listener);
            }
        }
    }

    String render(List<ClusterView> clusters, FleetCards.Filter filter, Instant now) {
        Context context = new Context();
        context.setVariable("cards", FleetCards.of(clusters, states, now, filter));
        return templates.process("monitor/overview", Set.of("cardlist"), context);
    }

    @Override
    public void start() {
        pusher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "fleet-overview-push");
            thread.setDaemon(true);
            return thread;
        });
        pusher.scheduleWithFixedDelay(this::tick, GATHER, GATHER, TimeUnit.MILLISECONDS);
    }

    @Override
    public void stop() {
        pusher.shutdownNow();
        listeners.forEach(listener -> listener.emitter().complete());
        listeners.clear();
    }

    @Override
    public boolean isRunning() {
        return pusher != null && !pusher.isShutdown();
    }
}
