package io.tandem.monitor.web;

import java.io.IOException;
import java.time.Clock;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * A {@code beat} event, carrying the console's clock in epoch milliseconds, on every open page stream every
 * {@link #PERIOD_MILLIS}. A stream may be quiet for minutes when nothing changes; the beat is how the browser tells
 * a quiet console from a dead one (static/js/live.js shows the page frozen after 5 s without any event) and how it
 * counts data ages on the console's clock rather than its own.
 */
@Component
class StreamBeats implements SmartLifecycle {

    static final long PERIOD_MILLIS = 2000;
    /** A stream that ended normally (its timeout) is opened again before the page would call itself cut off. */
    private static final long RECONNECT_MILLIS = 1000;

    private final Set<SseEmitter> emitters = ConcurrentHashMap.newKeySet();
    private final Clock clock;
    private volatile ScheduledExecutorService beater;

    StreamBeats(Clock clock) {
        this.clock = clock;
    }

    /** Beats at once (the browser learns the console's clock) and then every period until a send fails. */
    void add(SseEmitter emitter) {
        if (send(emitter, SseEmitter.event().reconnectTime(RECONNECT_MILLIS))) {
            emitters.add(emitter);
        }
    }

    private boolean beat(SseEmitter emitter) {
        return send(emitter, SseEmitter.event());
    }

    private boolean send(SseEmitter emitter, SseEmitter.SseEventBuilder event) {
        try {
            emitter.send(event.name("beat").data(Long.toString(clock.millis())));
            return true;
        } catch (IOException | RuntimeException gone) {
            return false; // completed, timed out or the browser went away; a failure here must not end the beating
        }
    }

    private void beatAll() {
        emitters.removeIf(emitter -> !beat(emitter));
    }

    @Override
    public void start() {
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "page-stream-beat");
            thread.setDaemon(true);
            return thread;
        });
        executor.scheduleWithFixedDelay(this::beatAll, PERIOD_MILLIS, PERIOD_MILLIS, TimeUnit.MILLISECONDS);
        beater = executor;
    }

    @Override
    public void stop() {
        beater.shutdownNow();
        emitters.clear();
    }

    @Override
    public boolean isRunning() {
        return beater != null && !beater.isShutdown();
    }
}
