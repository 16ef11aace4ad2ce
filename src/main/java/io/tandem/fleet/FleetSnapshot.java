package io.tandem.fleet;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The registered pairs as last read from the database, shared by every page, API call and the monitor: the fleet
 * changes a few times a day and is read hundreds of times a second, so readers take no database connection.
 * <p>
 * A change through this console ({@link #changed()}) makes the next reader read the fleet anew, once its transaction
 * has committed; a change made elsewhere (another console on the same database) shows within {@link #MAX_AGE}. One
 * reader reads for all who arrive meanwhile, so a burst after a change (or a database that does not answer) costs
 * one query, and everyone waiting gets its outcome.
 */
final class FleetSnapshot {

    /** How long a list read from the database is trusted without a change made through this console. */
    static final Duration MAX_AGE = Duration.ofSeconds(2);

    /**
     * What one read of the database gives: the pairs by name, and each node's target for reads (its credential still
     * sealed) by node id, so the monitor's node readers need no lookup of their own between two readings.
     */
    record Reading(List<ClusterView> list, Map<UUID, SealedNode> nodes) {

        /** A reading of the pairs alone (no node targets: reads look their nodes up). */
        static Reading of(List<ClusterView> list) {
            return new Reading(list, Map.of());
        }
    }

    /** One reading of the fleet: the pairs by name, and by id; the node targets by node id. */
    record Fleet(long changes, Instant readAt, List<ClusterView> list, Map<UUID, ClusterView> byId, Map<UUID, SealedNode> nodes) {

        static Fleet of(long changes, Instant readAt, Reading reading) {
            Map<UUID, ClusterView> byId = new LinkedHashMap<>();
            reading.list().forEach(cluster -> byId.put(cluster.id(), cluster));
            return new Fleet(changes, readAt, List.copyOf(reading.list()), Map.copyOf(byId), Map.copyOf(reading.nodes()));
        }
    }

    private final Supplier<Reading> read;
    private final Clock clock;
    private final AtomicLong changes = new AtomicLong();
    private final AtomicReference<Fleet> current = new AtomicReference<>();
    private final AtomicReference<CompletableFuture<Fleet>> reading = new AtomicReference<>();

    /** @param read reads every pair from the database, in its own short transaction */
    FleetSnapshot(Supplier<Reading> read, Clock clock) {
        this.read = read;
        this.clock = clock;
    }

    /** Inside a transaction (which may have changed the fleet itself) the database is read, as before. */
    List<ClusterView> list() {
        return TransactionSynchronizationManager.isActualTransactionActive() ? read.get().list() : fleet().list();
    }

    /**
     * The node's target for reads as last read (its credential sealed); empty when the node was not registered then,
     * or when a transaction is under way (the caller asks the database).
     */
    Optional<SealedNode> node(UUID nodeId) {
        return TransactionSynchronizationManager.isActualTransactionActive() ? Optional.empty()
                : Optional.ofNullable(fleet().nodes().get(nodeId));
    }

    /**
     * The pair as last read; empty when it was not registered then, or when a transaction is under way (the caller
     * asks the database).
     */
    Optional<ClusterView> get(UUID id) {
        return TransactionSynchronizationManager.isActualTransactionActive() ? Optional.empty()
                : Optional.ofNullable(fleet().byId().get(id));
    }

    /**
     * The fleet changed (or may have): the next reader reads it anew. Inside a transaction this takes effect when it
     * commits, so no reader can read the old rows in between and keep them as new.
     */
    void changed() {
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCompletion(int status) {
                    changes.incrementAndGet();
                }
            });
        } else {
            changes.incrementAndGet();
        }
    }

    private Fleet fleet() {
        while (true) {
            Fleet fleet = current.get();
            if (fresh(fleet)) {
                if (dueForRenewal(fleet)) {
                    renewInBackground();
                }
                return fleet;
            }
            CompletableFuture<Fleet> mine = new CompletableFuture<>();
            CompletableFuture<Fleet> theirs = reading.compareAndExchange(null, mine);
            if (theirs != null) {
                Fleet shared = join(theirs);
                if (shared != null && shared.changes() == changes.get()) {
                    return shared;
                }
                // a read begun before a change made here (a renewal, most often), or one never run: not this reader's
                Thread.onSpinWait();
                continue;
            }
            try {
                fleet = current.get();
                if (!fresh(fleet)) {
                    fleet = readOrKeep(fleet);
                }
                mine.complete(fleet);
                return fleet;
            } catch (RuntimeException | Error e) {
                mine.completeExceptionally(e);
                throw e;
            } finally {
                reading.set(null);
            }
        }
    }

    /**
     * Past half its age, a reading is renewed on a thread of its own while readers go on taking it: under load, every
     * request that arrived while one of them read the fleet waited for that read (each re-read every 2 s held a burst
     * of requests). A reader past the whole age, or after a change through this console, still waits for the read.
     */
    private void renewInBackground() {
        CompletableFuture<Fleet> mine = new CompletableFuture<>();
        if (reading.compareAndExchange(null, mine) != null) {
            return; // a read is under way
        }
        try {
            RENEWALS.execute(() -> {
                try {
                    Fleet fleet = current.get();
                    mine.complete(fresh(fleet) && !dueForRenewal(fleet) ? fleet : readOrKeep(fleet));
                } catch (RuntimeException | Error e) {
                    mine.completeExceptionally(e); // a reader that needs the fleet reads it itself
                } finally {
                    reading.set(null);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            reading.set(null);
            mine.complete(null);
        }
    }

    private boolean dueForRenewal(Fleet fleet) {
        return !clock.instant().isBefore(fleet.readAt().plus(MAX_AGE.dividedBy(2)));
    }

    /** One thread for the renewals of every snapshot, gone when idle. */
    private static final java.util.concurrent.ExecutorService RENEWALS = new java.util.concurrent.ThreadPoolExecutor(0, 1,
            30, java.util.concurrent.TimeUnit.SECONDS, new java.util.concurrent.LinkedBlockingQueue<>(), runnable -> {
                Thread thread = new Thread(runnable, "fleet-renewal");
                thread.setDaemon(true);
                return thread;
            });

    /**
     * Reads the fleet anew. When that fails and this console changed nothing since the last reading (it was only old),
     * the last reading stays in force for another {@link #MAX_AGE}, so a database that is slow to hand out a
     * connection (all of them busy) does not fail every page at once; without a reading, or after a change, it fails.
     */
    private Fleet readOrKeep(Fleet last) {
        // the count before reading: a change committed during the read makes this reading out of date at once
        long seen = changes.get();
        try {
            Fleet fleet = Fleet.of(seen, clock.instant(), read.get());
            current.set(fleet);
            return fleet;
        } catch (RuntimeException e) {
            if (last == null || last.changes() != seen) {
                throw e;
            }
            Fleet kept = new Fleet(last.changes(), clock.instant(), last.list(), last.byId(), last.nodes());
            current.set(kept);
            return kept;
        }
    }

    private boolean fresh(Fleet fleet) {
        return fleet != null && fleet.changes() == changes.get() && clock.instant().isBefore(fleet.readAt().plus(MAX_AGE));
    }

    private static Fleet join(CompletableFuture<Fleet> reading) {
        try {
            return reading.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw e;
        }
    }
}
