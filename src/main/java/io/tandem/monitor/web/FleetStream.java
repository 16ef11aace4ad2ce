package io.tandem.monitor.web;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
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
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import org.thymeleaf.context.Context;
import org.thymeleaf.spring6.SpringTemplateEngine;

import io.tandem.fleet.ClusterView;
import io.tandem.fleet.FleetService;
import io.tandem.monitor.MonitorProperties;
import io.tandem.monitor.PairListener;
import io.tandem.monitor.PairStates;

/**
 * Pushes the fleet overview's card list to every browser that has it open, each with its own filter, when any
 * pair's roles or findings change. Changes are gathered for {@link #GATHER} so a burst across many pairs costs one
 * render per filter, not one per pair; the list is also sent every {@code overviewRefresh} so ages stay current.
 */
@Component
class FleetStream implements SmartLifecycle, PairListener {

    private static final Logger log = LoggerFactory.getLogger(FleetStream.class);
    /** Browsers that went away are noticed at the next send; an idle stream ends after this and reconnects. */
    private static final long TIMEOUT_MILLIS = 10 * 60 * 1000L;
    /** Long enough to gather a burst of changes, short enough that the operator sees it at once. */
    private static final long GATHER = 200;

    private record Listener(SseEmitter emitter, FleetCards.Filter filter) {
    }

    /** A card list as rendered for one filter, good until the next change of health, fleet or the periodic refresh. */
    record Rendered(long generation, long fleetSignature, String html, int count) {
    }

    /** Filters are free text: past this many, the cache starts over rather than grow. */
    private static final int MAX_CACHED_FILTERS = 64;

    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private final java.util.concurrent.atomic.AtomicLong generation = new java.util.concurrent.atomic.AtomicLong();
    private final Map<FleetCards.Filter, Rendered> rendered = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<FleetCards.Filter, Rendering> rendering = new java.util.concurrent.ConcurrentHashMap<>();
    private final Set<java.util.UUID> seen = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final AtomicBoolean changed = new AtomicBoolean();
    private final SpringTemplateEngine templates;
    private final FleetService fleet;
    private final PairStates states;
    private final MonitorProperties properties;
    private final Clock clock;
    private final StreamBeats beats;
    private ScheduledExecutorService pusher;
    private volatile Instant lastPush = Instant.EPOCH;

    FleetStream(SpringTemplateEngine templates, FleetService fleet, PairStates states, MonitorProperties properties, Clock clock,
                StreamBeats beats) {
        this.templates = templates;
        this.fleet = fleet;
        this.states = states;
        this.properties = properties;
        this.clock = clock;
        this.beats = beats;
    }

    SseEmitter open(FleetCards.Filter filter) {
        SseEmitter emitter = new SseEmitter(TIMEOUT_MILLIS);
        Listener listener = new Listener(emitter, filter);
        listeners.add(listener);
        Runnable remove = () -> listeners.remove(listener);
        emitter.onCompletion(remove);
        emitter.onTimeout(remove);
        emitter.onError(e -> remove.run());
        beats.add(emitter);
        return emitter;
    }

    @Override
    public void healthChanged(PairStates.HealthChanged event) {
        generation.incrementAndGet();
        changed.set(true);
    }

    /** A pair's first reading turns its card from "not read yet" into its health, though no health "changed". */
    @Override
    public void observed(java.util.UUID clusterId) {
        if (seen.add(clusterId)) {
            generation.incrementAndGet();
            changed.set(true);
        }
    }

    /**
     * The card list for this filter. Rendering hundreds of cards is the page's whole cost, and between changes every
     * browser would get the same HTML: it is rendered once per change (health, the fleet itself, the periodic refresh)
     * and filter, for the page and for the push alike. Requests that arrive while it is being rendered for the current
     * change wait for that rendering instead of each rendering it again (with 200 browsers, a change used to start
     * dozens of identical renderings at once, each slowed by all the others).
     */
    Rendered cards(List<ClusterView> clusters, FleetCards.Filter filter) {
        long signature = signature(clusters);
        long current = generation.get();
        while (true) {
            Rendered cached = rendered.get(filter);
            if (cached != null && cached.generation() >= current && cached.fleetSignature() == signature) {
                return cached; // drawn for this change or a later one
            }
            Rendering mine = new Rendering(filter, current, signature);
            Rendering theirs = rendering.putIfAbsent(filter, mine);
            if (theirs == null) {
                return render(clusters, mine);
            }
            if (theirs.current(current, signature)) {
                return theirs.outcome();
            }
            // another change's rendering (older, or of another reading of the fleet): wait for it to end, then look again
            theirs.awaitEnd();
        }
    }

    /** A rendering under way for one filter and one change; those asking for the same change share its outcome. */
    private record Rendering(FleetCards.Filter filter, long generation, long fleetSignature,
                             java.util.concurrent.CompletableFuture<Rendered> done) {

        Rendering(FleetCards.Filter filter, long generation, long fleetSignature) {
            this(filter, generation, fleetSignature, new java.util.concurrent.CompletableFuture<>());
        }

        boolean current(long generation, long fleetSignature) {
            return this.generation >= generation && this.fleetSignature == fleetSignature;
        }

        Rendered outcome() {
            try {
                return done.join();
            } catch (java.util.concurrent.CompletionException e) {
                if (e.getCause() instanceof RuntimeException runtime) {
                    throw runtime;
                }
                if (e.getCause() instanceof Error error) {
                    throw error;
                }
                throw e;
            }
        }

        void awaitEnd() {
            try {
                done.join();
            } catch (RuntimeException ignored) {
                // its failure is its own caller's; this caller renders for itself
            }
        }
    }

    private Rendered render(List<ClusterView> clusters, Rendering mine) {
        try {
            List<FleetCards.Card> cards = FleetCards.of(clusters, states, clock.instant(), properties.freshness(), mine.filter());
            Context context = new Context();
            context.setVariable("cards", cards);
            Rendered fresh = new Rendered(mine.generation(), mine.fleetSignature(),
                    templates.process("monitor/cards", Set.of("list"), context), cards.size());
            if (rendered.size() >= MAX_CACHED_FILTERS) {
                rendered.clear();
            }
            rendered.put(mine.filter(), fresh);
            mine.done().complete(fresh);
            return fresh;
        } catch (RuntimeException | Error e) {
            mine.done().completeExceptionally(e);
            throw e;
        } finally {
            rendering.remove(mine.filter(), mine);
        }
    }

    /** Changes when a pair is registered, edited or removed. */
    private static long signature(List<ClusterView> clusters) {
        long signature = clusters.size();
        for (ClusterView cluster : clusters) {
            signature = 31 * signature + cluster.id().hashCode() * 17L + cluster.version();
        }
        return signature;
    }

    private void tick() {
        try {
            Instant now = clock.instant();
            boolean due = !now.isBefore(lastPush.plus(properties.overviewRefresh()));
            if (due) {
                generation.incrementAndGet(); // a pair's staleness or readiness may have moved without a health change
            }
            if ((changed.getAndSet(false) || due) && !listeners.isEmpty()) {
                lastPush = now;
                push();
            } else if (due) {
                lastPush = now;
            }
        } catch (RuntimeException e) {
            log.warn("fleet overview push failed: {}", e.toString());
        }
    }

    /**
     * One render per distinct filter, whatever the number of browsers. A list that cannot be drawn (or a fleet that
     * cannot be read from the database) is replaced in the browsers by a notice, never left looking live.
     */
    private void push() {
        List<ClusterView> clusters;
        try {
            clusters = fleet.list();
        } catch (RuntimeException e) {
            log.warn("fleet overview not pushed: the fleet could not be read: {}", e.toString());
            sendAll(failed("the list of pairs could not be read from the database"));
            return;
        }
        for (Listener listener : listeners) {
            String html;
            try {
                html = cards(clusters, listener.filter()).html();
            } catch (RuntimeException e) {
                log.warn("fleet overview cards could not be drawn", e);
                html = failed("the cards could not be drawn (the console log has the error)");
            }
            try {
                listener.emitter().send(SseEmitter.event().name("cards").data(html));
            } catch (IOException | IllegalStateException gone) {
                listeners.remove(listener);
            }
        }
    }

    private void sendAll(String html) {
        for (Listener listener : listeners) {
            try {
                listener.emitter().send(SseEmitter.event().name("cards").data(html));
            } catch (IOException | IllegalStateException gone) {
                listeners.remove(listener);
            }
        }
    }

    private String failed(String why) {
        String at = java.time.format.DateTimeFormatter.ISO_LOCAL_TIME.format(
                clock.instant().atZone(java.time.ZoneOffset.UTC).toLocalTime().withNano(0));
        return "<p class=\"render-failed\" role=\"alert\"><strong>The overview could not be updated at "
                + at + " UTC: " + org.springframework.web.util.HtmlUtils.htmlEscape(why)
                + ".</strong> Pairs are still read and judged; reload the page to try again.</p>";
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
