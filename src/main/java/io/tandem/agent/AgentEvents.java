package io.tandem.agent;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import tools.jackson.databind.json.JsonMapper;

import io.tandem.agent.wire.AgentProtocol;

/**
 * The agent's change feed. Node watchers {@link #publish publish} typed events; each subscriber (an event
 * stream to a console) gets them through its own bounded queue. A publisher never waits for a subscriber:
 * one that falls a whole queue behind is dropped and resumes later from the replay buffer with
 * {@code Last-Event-ID}.
 */
public final class AgentEvents implements AutoCloseable {

    /** Dotted lowercase names such as {@code service.state}: safe in an SSE {@code event:} line. */
    private static final Pattern TYPE = Pattern.compile("[a-z][a-z0-9_-]*(\\.[a-z0-9_-]+)*");
    private static final int MAX_TYPE_LENGTH = 100;

    /**
     * One published event.
     *
     * @param id unique across agent restarts ({@code <boot>-<sequence>}), so a resume id from before a restart is
     *           recognised as such instead of skipping events
     * @param data the JSON of {@code {"time": ..., "payload": ...}}, serialised once for all subscribers
     */
    public record Event(String id, String type, Instant time, String data) {
    }

    /** Thrown by {@link #subscribe} when {@code max-subscribers} streams are already open. */
    public static final class TooManySubscribers extends Exception {
        TooManySubscribers(int max) {
            super("already serving " + max + " event streams, the configured maximum");
        }
    }

    private final AgentConfig.Events settings;
    private final JsonMapper json;
    private final Clock clock;
    private final String boot;
    private final ArrayDeque<Event> replay = new ArrayDeque<>();
    private final Set<Subscription> subscribers = new HashSet<>();
    private long sequence;
    private boolean closed;

    public AgentEvents(AgentConfig.Events settings, JsonMapper json, Clock clock) {
        this.settings = settings;
        this.json = json;
        this.clock = clock;
        this.boot = Long.toString(clock.millis(), 36);
    }

    /**
     * Sends an event to every subscriber and keeps it for resuming ones.
     *
     * @param type dotted lowercase name, e.g. {@code service.state}, {@code gate.changed}
     * @param payload any value Jackson can write; it is serialised now, so later changes to it are not seen
     */
    public Event publish(String type, Object payload) {
        if (type == null || type.length() > MAX_TYPE_LENGTH || !TYPE.matcher(type).matches()) {
            throw new IllegalArgumentException("event type must be dotted lowercase words, got " + type);
        }
        Instant time = clock.instant();
        Map<String, Object> envelope = new LinkedHashMap<>();
        envelope.put("time", time.toString());
        envelope.put("payload", payload);
        String data = json.writeValueAsString(envelope);
        synchronized (this) {
            Event event = new Event(boot + "-" + (++sequence), type, time, data);
            if (settings.replayBuffer() > 0) {
                if (replay.size() == settings.replayBuffer()) {
                    replay.removeFirst();
                }
                replay.addLast(event);
            }
            for (Subscription subscription : List.copyOf(subscribers)) {
                subscription.offer(event);
            }
            return event;
        }
    }

    /**
     * Opens a subscription. With a {@code lastEventId}, events after it are queued first; when they are no
     * longer all held (or the id is from an earlier agent process), a {@value AgentProtocol#REPLAY_GAP_EVENT}
     * event comes first so the subscriber knows to re-read the node's state.
     */
    public synchronized Subscription subscribe(String lastEventId) throws TooManySubscribers {
        if (closed) {
            throw new IllegalStateException("the agent is shutting down");
        }
        if (subscribers.size() >= settings.maxSubscribers()) {
            throw new TooManySubscribers(settings.maxSubscribers());
        }
        List<Event> backlog = lastEventId == null || lastEventId.isBlank() ? List.of() : backlogAfter(lastEventId.strip());
        // The backlog may be larger than the live queue; it is handed over whole, the queue bounds only what follows.
        Subscription subscription = new Subscription(backlog, settings.clientQueue());
        subscribers.add(subscription);
        return subscription;
    }

    private List<Event> backlogAfter(String lastEventId) {
        long after = sequenceOf(lastEventId);
        long oldestHeld = replay.isEmpty() ? sequence + 1 : sequenceOf(replay.getFirst().id());
        List<Event> backlog = new ArrayList<>();
        if (after < 0 || after > sequence || after + 1 < oldestHeld) {
            Map<String, Object> gap = new LinkedHashMap<>();
            gap.put("time", clock.instant().toString());
            gap.put("payload", Map.of("lastEventId", lastEventId.length() > 100 ? lastEventId.substring(0, 100) : lastEventId,
                    "reason", after < 0 || after > sequence ? "unknown or from an earlier agent process" : "no longer held"));
            // No id: the subscriber's resume point stays where it was until the first real event.
            backlog.add(new Event(null, AgentProtocol.REPLAY_GAP_EVENT, clock.instant(), json.writeValueAsString(gap)));
        }
        for (Event event : replay) {
            if (sequenceOf(event.id()) > after) {
                backlog.add(event);
            }
        }
        return backlog;
    }

    /** The sequence number of one of our ids, or -1 when the id is not ours (other boot, garbage). */
    private long sequenceOf(String id) {
        String prefix = boot + "-";
        if (!id.startsWith(prefix)) {
            return -1;
        }
        try {
            return Long.parseLong(id.substring(prefix.length()));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private synchronized void remove(Subscription subscription) {
        subscribers.remove(subscription);
    }

    synchronized int subscriberCount() {
        return subscribers.size();
    }

    /** Ends every open stream (the agent is stopping); streams see the end at once, not at their next heartbeat. */
    @Override
    public synchronized void close() {
        closed = true;
        for (Subscription subscription : List.copyOf(subscribers)) {
            subscription.end();
        }
        subscribers.clear();
    }

    /** One subscriber's view: the backlog, then live events, until it is closed, dropped or the agent stops. */
    public final class Subscription implements AutoCloseable {

        private final ArrayDeque<Event> backlog;
        private final BlockingQueue<Event> queue;
        private volatile boolean ended;
        private volatile boolean dropped;

        private Subscription(List<Event> backlog, int capacity) {
            this.backlog = new ArrayDeque<>(backlog);
            this.queue = new ArrayBlockingQueue<>(capacity + 1); // +1: room for the end marker even when full
        }

        /**
         * The next event, waiting at most {@code wait}; null when none came (time for a heartbeat) or when the
         * subscription has {@linkplain #ended() ended}.
         */
        public Event next(Duration wait) throws InterruptedException {
            if (!backlog.isEmpty()) {
                return backlog.removeFirst();
            }
            if (ended) {
                return null;
            }
            Event event = queue.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
            return event == END ? null : event;
        }

        /** True once the stream should stop: closed, dropped for falling behind, or the agent is stopping. */
        public boolean ended() {
            return ended && backlog.isEmpty();
        }

        /** True when the subscriber was dropped because its queue overflowed. */
        public boolean dropped() {
            return dropped;
        }

        private void offer(Event event) {
            if (ended) {
                return;
            }
            if (queue.remainingCapacity() <= 1 || !queue.offer(event)) {
                dropped = true;
                remove(this);
                end();
            }
        }

        private void end() {
            ended = true;
            queue.clear();
            queue.offer(END);
        }

        @Override
        public void close() {
            remove(this);
            end();
        }
    }

    /** Wakes a waiting {@link Subscription#next} when the subscription ends. */
    private static final Event END = new Event("", "", Instant.EPOCH, "");
}
