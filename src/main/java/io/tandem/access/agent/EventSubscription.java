package io.tandem.access.agent;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import io.tandem.node.NodeAccessException;

/**
 * An open event stream from one agent. Events are delivered, in order, on this subscription's own thread.
 * The stream ends when the caller {@link #close() closes} it (normally), the agent ends it (normally, e.g. it
 * dropped a slow subscriber or is stopping), or it fails: {@link #done()} then completes exceptionally with a
 * {@link NodeAccessException} (TimedOut when no heartbeat came within {@code eventsIdle}), or with whatever the
 * listener threw.
 */
public final class EventSubscription implements AutoCloseable {

    /** One daemon thread watches every open stream for silence; the work per check is a clock read. */
    private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "agent-events-watchdog");
        thread.setDaemon(true);
        return thread;
    });

    private final InputStream body;
    private final SseReader reader;
    private final AgentClientSettings settings;
    private final String where;
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private volatile long lastActivityNanos = System.nanoTime();
    private volatile boolean closing;
    private volatile NodeAccessException idleFailure;
    private ScheduledFuture<?> watch;

    private EventSubscription(InputStream body, String lastEventId, AgentClientSettings settings, String where) {
        this.body = body;
        this.settings = settings;
        this.where = where;
        this.reader = new SseReader(body, settings.maxAnswerBytes(), () -> lastActivityNanos = System.nanoTime());
        this.reader.lastEventId(lastEventId);
    }

    static EventSubscription start(InputStream body, String lastEventId, Consumer<AgentEvent> listener,
                                   AgentClientSettings settings, JsonMapper json, String where) {
        EventSubscription subscription = new EventSubscription(body, lastEventId, settings, where);
        long checkMillis = Math.max(50, Math.min(1000, settings.eventsIdle().toMillis() / 4));
        subscription.watch = WATCHDOG.scheduleAtFixedRate(subscription::checkIdle, checkMillis, checkMillis, TimeUnit.MILLISECONDS);
        Thread thread = new Thread(() -> subscription.pump(listener, json), "agent-events-" + where);
        thread.setDaemon(true);
        thread.start();
        return subscription;
    }

    /** The id to resume from after this stream ends (the last id the agent sent, or the one we started from). */
    public String lastEventId() {
        return reader.lastEventId();
    }

    /** Completes when the stream has ended; see the class comment for how. */
    public CompletableFuture<Void> done() {
        return done;
    }

    public boolean isOpen() {
        return !done.isDone();
    }

    @Override
    public void close() {
        closing = true;
        closeBody();
    }

    private void pump(Consumer<AgentEvent> listener, JsonMapper json) {
        try {
            reader.run((id, type, data) -> listener.accept(parse(json, id, type, data)));
            end(null);
        } catch (IOException e) {
            end(AgentClient.failure(e, where, settings.request()));
        } catch (BadEvent e) {
            done.completeExceptionally(e.failure);
        } catch (RuntimeException e) {
            done.completeExceptionally(e);
        } finally {
            watch.cancel(false);
            closeBody();
        }
    }

    /** Closing by the caller wins over whatever the interrupted read reported; silence wins over the close it caused. */
    private void end(NodeAccessException failure) {
        if (closing) {
            done.complete(null);
        } else if (idleFailure != null) {
            done.completeExceptionally(idleFailure);
        } else if (failure != null) {
            done.completeExceptionally(failure);
        } else {
            done.complete(null);
        }
    }

    private AgentEvent parse(JsonMapper json, String id, String type, String data) {
        try {
            JsonNode envelope = json.readTree(data);
            Instant time = Instant.parse(envelope.path("time").asString());
            return new AgentEvent(id, type, time, envelope.path("payload"));
        } catch (JacksonException | java.time.format.DateTimeParseException e) {
            throw new BadEvent(new NodeAccessException.BadAnswer("the agent at " + where + " sent an unreadable "
                    + type + " event: " + e.getMessage(), e));
        }
    }

    private void checkIdle() {
        long idleNanos = System.nanoTime() - lastActivityNanos;
        if (idleNanos > settings.eventsIdle().toNanos() && !done.isDone()) {
            idleFailure = new NodeAccessException.TimedOut("the agent at " + where + " sent nothing, not even a heartbeat, for "
                    + settings.eventsIdle(), null);
            closeBody();
        }
    }

    private void closeBody() {
        try {
            body.close();
        } catch (IOException e) {
            // closing is all we wanted; the reader thread ends either way
        }
    }

    /** Carries a BadAnswer out of the listener callback chain. */
    private static final class BadEvent extends RuntimeException {
        private final transient NodeAccessException failure;

        BadEvent(NodeAccessException failure) {
            super(failure.getMessage(), failure, false, false);
            this.failure = failure;
        }
    }
}
