package io.tandem.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import io.tandem.support.MovableClock;

/** Readers between changes share one reading of the fleet; a change is seen by the next reader, never lost. */
class FleetSnapshotTest {

    private final MovableClock clock = new MovableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final AtomicInteger reads = new AtomicInteger();
    private final AtomicReference<String> name = new AtomicReference<>("pair-1");
    private final UUID id = UUID.randomUUID();
    private final FleetSnapshot snapshot = new FleetSnapshot(counted(() -> List.of(pair(id, name.get()))), clock);

    @Test
    void readersBetweenChangesDoNotReadTheDatabase() {
        for (int i = 0; i < 100; i++) {
            assertThat(snapshot.list()).extracting(ClusterView::name).containsExactly("pair-1");
            assertThat(snapshot.get(id)).map(ClusterView::name).contains("pair-1");
        }
        assertThat(reads).hasValue(1);
        assertThat(snapshot.get(UUID.randomUUID())).isEmpty();
    }

    @Test
    void aChangeIsSeenByTheNextReader() {
        snapshot.list();
        name.set("pair-renamed");
        snapshot.changed();
        assertThat(snapshot.get(id)).map(ClusterView::name).contains("pair-renamed");
        assertThat(reads).hasValue(2);
    }

    @Test
    void aChangeMadeElsewhereIsSeenWithinTheMaximumAge() {
        snapshot.list();
        name.set("renamed-by-another-console");
        clock.advance(FleetSnapshot.MAX_AGE.minusMillis(1));
        assertThat(snapshot.list()).extracting(ClusterView::name).containsExactly("pair-1");
        clock.advance(Duration.ofMillis(1));
        assertThat(snapshot.list()).extracting(ClusterView::name).containsExactly("renamed-by-another-console");
    }

    /**
     * Past half the maximum age the fleet is read anew on a thread of its own, and readers meanwhile take the reading
     * at hand rather than wait for the database (under load, each re-read held every request that arrived during it).
     */
    @Test
    void pastHalfItsAgeTheReadingIsRenewedWhileReadersGoOnTakingIt() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        java.util.concurrent.atomic.AtomicBoolean held = new java.util.concurrent.atomic.AtomicBoolean();
        FleetSnapshot renewed = new FleetSnapshot(counted(() -> {
            if (held.get()) {
                await(release);
            }
            return List.of(pair(id, name.get()));
        }), clock);
        renewed.list();
        name.set("renamed-by-another-console");
        held.set(true);
        clock.advance(FleetSnapshot.MAX_AGE.dividedBy(2));
        assertThat(renewed.list()).extracting(ClusterView::name).containsExactly("pair-1");
        clock.advance(FleetSnapshot.MAX_AGE.dividedBy(2).minusMillis(1));
        assertThat(renewed.get(id)).as("the renewal is held in the database; the reader did not wait for it")
                .map(ClusterView::name).contains("pair-1");

        release.countDown();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (renewed.get(id).map(ClusterView::name).orElseThrow().equals("pair-1") && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(renewed.list()).extracting(ClusterView::name).containsExactly("renamed-by-another-console");
        assertThat(reads).as("one read, then one renewal for all the readers").hasValue(2);
    }

    /**
     * A renewal that began before a change made through this console read the fleet without it: the next reader waits
     * for it, then reads again rather than take it.
     */
    @Test
    void aChangeMadeDuringARenewalIsSeenByTheNextReader() throws Exception {
        CountDownLatch inRead = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        java.util.concurrent.atomic.AtomicBoolean hold = new java.util.concurrent.atomic.AtomicBoolean();
        FleetSnapshot renewed = new FleetSnapshot(counted(() -> {
            String atStart = name.get(); // what the database held when this read began
            if (hold.getAndSet(false)) {
                inRead.countDown();
                await(release);
            }
            return List.of(pair(id, atStart));
        }), clock);
        renewed.list();
        hold.set(true);
        clock.advance(FleetSnapshot.MAX_AGE.dividedBy(2));
        assertThat(renewed.list()).extracting(ClusterView::name).containsExactly("pair-1"); // the renewal starts behind it
        assertThat(inRead.await(10, TimeUnit.SECONDS)).isTrue();
        name.set("renamed-here");
        renewed.changed();
        ExecutorService reader = Executors.newSingleThreadExecutor();
        try {
            Future<List<ClusterView>> next = reader.submit(renewed::list);
            Thread.sleep(200); // let it join the renewal under way
            release.countDown();
            assertThat(next.get(10, TimeUnit.SECONDS)).extracting(ClusterView::name).containsExactly("renamed-here");
        } finally {
            reader.shutdownNow();
        }
    }

    @Test
    void aReadingThatWasOnlyOldStaysWhenTheDatabaseCannotBeReadButAChangeIsNeverHidden() {
        AtomicReference<RuntimeException> failure = new AtomicReference<>();
        FleetSnapshot flaky = new FleetSnapshot(counted(() -> {
            if (failure.get() != null) {
                throw failure.get();
            }
            return List.of(pair(id, name.get()));
        }), clock);
        flaky.list();
        failure.set(new IllegalStateException("no connection available"));
        clock.advance(FleetSnapshot.MAX_AGE);
        assertThat(flaky.list()).extracting(ClusterView::name).containsExactly("pair-1");
        assertThat(flaky.list()).hasSize(1);
        assertThat(reads).as("tried once, then the kept reading stands for another while").hasValue(2);

        flaky.changed(); // this console changed the fleet: the old reading must not be shown as current
        assertThatThrownBy(flaky::list).hasMessage("no connection available");
    }

    @Test
    void aChangeInsideATransactionCountsOnceItHasEnded() {
        snapshot.list();
        TransactionSynchronizationManager.initSynchronization();
        try {
            name.set("pair-renamed");
            snapshot.changed();
            // another thread reading before the commit would read the old rows: they must not stay as the new ones
            assertThat(snapshot.list()).extracting(ClusterView::name).containsExactly("pair-1");
            List<TransactionSynchronization> synchronizations = TransactionSynchronizationManager.getSynchronizations();
            synchronizations.forEach(s -> s.afterCompletion(TransactionSynchronization.STATUS_COMMITTED));
        } finally {
            TransactionSynchronizationManager.clearSynchronization();
        }
        assertThat(snapshot.list()).extracting(ClusterView::name).containsExactly("pair-renamed");
    }

    @Test
    void readersArrivingDuringAReadShareItsOutcome() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger slowReads = new AtomicInteger();
        FleetSnapshot slow = new FleetSnapshot(() -> {
            slowReads.incrementAndGet();
            started.countDown();
            await(release);
            throw new IllegalStateException("the database does not answer");
        }, clock);
        List<Thread> threads = new java.util.concurrent.CopyOnWriteArrayList<>();
        ExecutorService readers = Executors.newFixedThreadPool(8, r -> {
            Thread thread = new Thread(r);
            threads.add(thread);
            return thread;
        });
        try {
            List<Future<?>> calls = new ArrayList<>();
            calls.add(readers.submit(slow::list));
            assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
            for (int i = 0; i < 7; i++) {
                calls.add(readers.submit(slow::list));
            }
            // the seven wait (untimed) for the read under way, the first reader (timed) for the database
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (threads.stream().filter(t -> t.getState() == Thread.State.WAITING).count() < 7 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            release.countDown();
            for (Future<?> call : calls) {
                assertThatThrownBy(() -> call.get(10, TimeUnit.SECONDS)).hasRootCauseMessage("the database does not answer");
            }
        } finally {
            readers.shutdownNow();
        }
        assertThat(slowReads).hasValue(1);
        // a reader after the failed read reads again: the database may answer by now
        assertThatThrownBy(slow::list).hasMessage("the database does not answer");
        assertThat(slowReads).hasValue(2);
    }

    private Supplier<FleetSnapshot.Reading> counted(Supplier<List<ClusterView>> read) {
        return () -> {
            reads.incrementAndGet();
            return FleetSnapshot.Reading.of(read.get());
        };
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static ClusterView pair(UUID id, String name) {
        Instant at = Instant.parse("2026-01-01T00:00:00Z");
        return new ClusterView(id, name, ClusterMode.HOT, null, "nfo", null, null, null, List.of(), List.of(), at, at, 0);
    }
}
