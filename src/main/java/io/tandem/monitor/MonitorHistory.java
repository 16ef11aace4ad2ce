package io.tandem.monitor;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.BlockingDeque;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Writes what the monitor saw change (role changes, findings raised and cleared) to the history, on its own thread:
 * judging never waits for the database. While the database is away the events wait in memory (bounded, oldest
 * dropped first) with their true times and are written when it answers again; {@link #backlog()} says what is
 * waiting so the pages can tell the operator.
 */
@Component
public class MonitorHistory implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(MonitorHistory.class);
    /** About a day of a busy fleet's changes; past this the oldest go, and are counted. */
    static final int MAX_WAITING = 20_000;
    private static final int BATCH = 500;
    private static final Duration RETRY_MIN = Duration.ofSeconds(1);
    private static final Duration RETRY_MAX = Duration.ofSeconds(10);

    /** One history row. */
    record Row(UUID clusterId, Instant at, String kind, String node, String severity, String subject, String text) {
    }

    /**
     * History that could not be written yet.
     *
     * @param waiting events held in memory, to be written when the database answers
     * @param since when writing first failed
     * @param dropped events lost because too many waited
     * @param reason the database's last error, in words
     */
    public record Backlog(int waiting, Instant since, long dropped, String reason) {
    }

    private final BlockingDeque<Row> waiting = new LinkedBlockingDeque<>();
    private final AtomicLong dropped = new AtomicLong();
    /** The pairs whose events were held (or dropped) since writing first failed: each gets a GAP row once written. */
    private final java.util.Set<UUID> heldFor = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** Events held since writing first failed, for the GAP rows. */
    private final AtomicLong held = new AtomicLong();
    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final MonitorProperties properties;
    private volatile Instant failingSince;
    /** The time of the oldest event that could not be written when it happened: where the GAP row begins. */
    private volatile Instant heldFrom;
    private volatile String failure;
    private volatile Thread writer;

    MonitorHistory(JdbcTemplate jdbc, Clock clock, MonitorProperties properties) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.properties = properties;
    }

    /** Queues what changed; returns at once. */
    void record(UUID clusterId, HealthDiff diff, Instant at) {
        for (HealthDiff.RoleChange change : diff.roleChanges()) {
            add(new Row(clusterId, at, "ROLE", change.node(), null, change.to().name(),
                    change.node() + ": " + change.from() + " -> " + change.to()));
        }
        for (Finding raised : diff.raised()) {
            add(new Row(clusterId, at, "RAISED", raised.node(), raised.severity().name(), raised.kind().id(), raised.cause()));
        }
        for (Finding cleared : diff.cleared()) {
            add(new Row(clusterId, at, "CLEARED", cleared.node(), cleared.severity().name(), cleared.kind().id(), cleared.cause()));
        }
    }

    private void add(Row row) {
        waiting.addLast(row);
        Row lost;
        while (waiting.size() > MAX_WAITING && (lost = waiting.pollFirst()) != null) {
            dropped.incrementAndGet();
            heldFor.add(lost.clusterId());
        }
    }

    /**
     * What waits to be written while writing fails, until every event held since then is written (not merely the
     * first batch); empty while the history is written as it happens.
     */
    public Optional<Backlog> backlog() {
        Instant since = failingSince;
        return since == null ? Optional.empty() : Optional.of(new Backlog(waiting.size(), since, dropped.get(), failure));
    }

    /**
     * Waits until every event queued so far is written, with the GAP rows of a failure (or the time is up); for tests
     * and orderly shutdown.
     */
    public boolean awaitWritten(Duration limit) throws InterruptedException {
        long end = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < end) {
            if (waiting.isEmpty() && !writing && failingSince == null) {
                return true;
            }
            Thread.sleep(20);
        }
        return false;
    }

    private volatile boolean writing;

    private void run() {
        Duration retry = RETRY_MIN;
        while (!Thread.currentThread().isInterrupted()) {
            List<Row> batch = new ArrayList<>();
            try {
                Row first = waiting.pollFirst(1, TimeUnit.SECONDS);
                if (first == null) {
                    if (failingSince != null && waiting.isEmpty()) {
                        tryRecordGap();
                    }
                    continue;
                }
                writing = true;
                batch.add(first);
                waiting.drainTo(batch, BATCH - 1);
                write(batch);
                if (failingSince != null) {
                    held.addAndGet(batch.size());
                    batch.forEach(row -> heldFor.add(row.clusterId()));
                    if (waiting.isEmpty()) {
                        tryRecordGap();
                    }
                }
                retry = RETRY_MIN;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (DataAccessException e) {
                for (int i = batch.size() - 1; i >= 0; i--) {
                    waiting.addFirst(batch.get(i));
                }
                Instant oldest = batch.stream().map(Row::at).min(Instant::compareTo).orElseThrow();
                heldFrom = heldFrom == null || oldest.isBefore(heldFrom) ? oldest : heldFrom;
                if (failingSince == null) {
                    failingSince = clock.instant();
                    log.warn("cannot write the monitor's history ({} events waiting in memory, written when the database answers): {}",
                            waiting.size(), e.getMostSpecificCause().toString());
                }
                failure = e.getMostSpecificCause().getMessage();
                sleep(retry);
                retry = retry.multipliedBy(2).compareTo(RETRY_MAX) > 0 ? RETRY_MAX : retry.multipliedBy(2);
            } catch (RuntimeException e) {
                log.warn("history events lost to an unexpected error: {}", batch, e);
            } finally {
                writing = false;
            }
        }
    }

    /**
     * Every event held since writing failed is written: each pair concerned gets one GAP row at the time writing
     * failed, saying until when, how many events were written late (with their own times) and how many were lost, so
     * the history never looks complete where it is not, nor silent about a late write. Then the backlog is over.
     */
    private void tryRecordGap() {
        try {
            recordGap();
        } catch (DataAccessException e) {
            failure = e.getMostSpecificCause().getMessage(); // away again: the next idle second tries once more
        }
    }

    private void recordGap() {
        Instant since = heldFrom != null && heldFrom.isBefore(failingSince) ? heldFrom : failingSince;
        Instant until = clock.instant();
        long late = held.get();
        long lost = dropped.get();
        List<Row> gaps = heldFor.stream().map(cluster -> new Row(cluster, since, "GAP", null, lost > 0 ? "WARNING" : "INFO",
                "history-held", String.format(java.util.Locale.ROOT,
                        "The database did not answer from %s to %s: %d history event(s) of this time were held in memory and "
                                + "written late with their own times%s", since, until, late,
                        lost > 0 ? "; " + lost + " event(s) were lost (the oldest, past " + MAX_WAITING + " waiting)" : "")))
                .toList();
        write(gaps);
        log.info("history is written again; events held since {} were recorded with their times ({} late, {} dropped)",
                since, late, lost);
        heldFor.clear();
        heldFrom = null;
        held.set(0);
        dropped.set(0);
        failingSince = null;
        failure = null;
    }

    /** One statement for the batch; a row whose pair was deleted meanwhile goes with its pair. */
    private void write(List<Row> batch) {
        try {
            jdbc.batchUpdate(INSERT, batch.stream().map(MonitorHistory::values).toList());
        } catch (DataIntegrityViolationException e) {
            for (Row row : batch) {
                try {
                    jdbc.update(INSERT, values(row));
                } catch (DataIntegrityViolationException gone) {
                    log.debug("history of a deleted pair not written: {}", row);
                }
            }
        }
    }

    private static final String INSERT =
            "insert into monitor_event (cluster_id, occurred_at, kind, node, severity, subject, text) values (?, ?, ?, ?, ?, ?, ?)";

    private static Object[] values(Row row) {
        String text = row.text().length() > 2000 ? row.text().substring(0, 2000) : row.text();
        return new Object[] {row.clusterId(), Timestamp.from(row.at()), row.kind(), row.node(), row.severity(), row.subject(), text};
    }

    private static void sleep(Duration time) {
        try {
            Thread.sleep(time.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** History older than the retention goes, once an hour. */
    @Scheduled(fixedDelayString = "PT1H", initialDelayString = "PT1M")
    void applyRetention() {
        try {
            jdbc.update("delete from monitor_event where occurred_at < ?", Timestamp.from(clock.instant().minus(properties.retention())));
        } catch (DataAccessException e) {
            log.warn("old history not removed this hour: {}", e.getMostSpecificCause().toString());
        }
    }

    @Override
    public void start() {
        Thread thread = new Thread(this::run, "monitor-history");
        thread.setDaemon(true);
        writer = thread;
        thread.start();
    }

    @Override
    public void stop() {
        try {
            awaitWritten(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Thread thread = writer;
        if (thread != null) {
            thread.interrupt();
        }
        writer = null;
    }

    @Override
    public boolean isRunning() {
        return writer != null;
    }
}
