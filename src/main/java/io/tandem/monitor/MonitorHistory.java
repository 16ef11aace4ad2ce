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
    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final MonitorProperties properties;
    private volatile Instant failingSince;
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
        while (waiting.size() > MAX_WAITING && waiting.pollFirst() != null) {
            dropped.incrementAndGet();
        }
    }

    /** What waits to be written, when writing fails; empty while the history is written as it happens. */
    public Optional<Backlog> backlog() {
        Instant since = failingSince;
        return since == null ? Optional.empty() : Optional.of(new Backlog(waiting.size(), since, dropped.get(), failure));
    }

    /** Waits until every event queued so far is written (or the time is up); for tests and orderly shutdown. */
    public boolean awaitWritten(Duration limit) throws InterruptedException {
        long end = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < end) {
            if (waiting.isEmpty() && !writing) {
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
                    continue;
                }
                writing = true;
                batch.add(first);
                waiting.drainTo(batch, BATCH - 1);
                write(batch);
                if (failingSince != null) {
                    log.info("history is written again; events held since {} were recorded with their times ({} dropped)",
                            failingSince, dropped.get());
                    failingSince = null;
                    failure = null;
                }
                retry = RETRY_MIN;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (DataAccessException e) {
                for (int i = batch.size() - 1; i >= 0; i--) {
                    waiting.addFirst(batch.get(i));
                }
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
