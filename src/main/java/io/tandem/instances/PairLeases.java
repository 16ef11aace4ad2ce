package io.tandem.instances;

import java.sql.Timestamp;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import io.tandem.monitor.PairOwnership;

/**
 * Splits the pairs among the consoles alive, in PostgreSQL. Every {@code renew-every}, in one short transaction
 * serialised across consoles by an advisory lock: renew this console's heartbeat and leases, drop consoles silent for
 * longer than a lease, then bring this console's count to its fair share (pairs / consoles, rounded up) by giving back
 * its surplus or taking free and expired leases. A console that joins gets its share within a few rounds; the pairs of
 * one that died are free when their leases expire and taken by the next round of a survivor.
 * <p>
 * This console trusts its own leases only until {@code lease} minus one round after the start of its last successful
 * renewal, by its own clock: a console cut off from the database stops reading before another one may start.
 */
@Component
@ConditionalOnProperty(name = "tandem.instances.enabled", havingValue = "true")
public class PairLeases implements PairOwnership, SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(PairLeases.class);
    /** The advisory lock key that serialises rebalancing ("tandem" in ASCII). */
    private static final long REBALANCE_LOCK = 0x74616e64656dL;

    /** What a round of renewal found: the consoles that were found gone are told to the others' modules. */
    public record InstancesGone(List<UUID> instances) {
    }

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final ConsoleInstance self;
    private final InstanceProperties properties;
    private final ApplicationEventPublisher events;
    private volatile Set<UUID> owned = Set.of();
    private volatile long trustedUntilNanos;
    private volatile int live = 1;
    private ScheduledExecutorService renewer;
    private volatile boolean running;

    PairLeases(JdbcTemplate jdbc, TransactionTemplate transactions, ConsoleInstance self, InstanceProperties properties,
               ApplicationEventPublisher events) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.self = self;
        this.properties = properties;
        this.events = events;
    }

    @Override
    public boolean owns(UUID clusterId) {
        return System.nanoTime() - trustedUntilNanos < 0 && owned.contains(clusterId);
    }

    /** This console's id in the instance and lease tables. */
    public UUID id() {
        return self.id();
    }

    /** The pairs this console reads now. */
    public Set<UUID> owned() {
        return System.nanoTime() - trustedUntilNanos < 0 ? owned : Set.of();
    }

    /** The consoles alive at the last renewal, this one included. */
    public int liveInstances() {
        return live;
    }

    @Override
    public void start() {
        renewer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "pair-leases");
            thread.setDaemon(true);
            return thread;
        });
        renew(); // registered before the first request or read: operations can name their console at once
        renewer.scheduleWithFixedDelay(this::renew, properties.renewEvery().toMillis(), properties.renewEvery().toMillis(),
                TimeUnit.MILLISECONDS);
        running = true;
        log.info("console {} ({}) shares the database with {} other console(s); reads {} pair(s)", self.name(), self.id(),
                live - 1, owned.size());
    }

    /** Gives every lease back at once, so the others need not wait for them to expire. */
    @Override
    public void stop() {
        running = false;
        renewer.shutdownNow();
        owned = Set.of();
        try {
            transactions.executeWithoutResult(status -> {
                jdbc.update("delete from pair_lease where instance_id = ?", self.id());
                jdbc.update("delete from console_instance where id = ?", self.id());
            });
        } catch (RuntimeException e) {
            log.warn("could not give the leases back; the other consoles take them when they expire: {}", e.toString());
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Starts before the monitor (the default, last phase) reads, and stops after it: leases are given back last. */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE - 100;
    }

    private void renew() {
        long started = System.nanoTime();
        try {
            Round round = transactions.execute(status -> round());
            owned = round.owned();
            live = round.live();
            trustedUntilNanos = started + properties.lease().minus(properties.renewEvery()).toNanos();
            if (!round.gone().isEmpty()) {
                log.warn("console(s) {} stopped renewing; their pairs are taken over", round.gone());
                events.publishEvent(new InstancesGone(round.gone()));
            }
        } catch (RuntimeException e) {
            log.warn("could not renew the pair leases (trusted for {} ms more): {}",
                    Math.max(0, (trustedUntilNanos - System.nanoTime()) / 1_000_000), e.toString());
        }
    }

    private record Round(Set<UUID> owned, int live, List<UUID> gone) {
    }

    private Round round() {
        jdbc.queryForObject("select pg_advisory_xact_lock(?)", Object.class, REBALANCE_LOCK);
        Timestamp leaseEnd = jdbc.queryForObject("select now() + ?::interval", Timestamp.class, interval());
        jdbc.update("""
                insert into console_instance (id, name, started_at, heartbeat_at) values (?, ?, now(), now())
                on conflict (id) do update set heartbeat_at = now()""", self.id(), self.name());
        List<UUID> gone = jdbc.queryForList("delete from console_instance where heartbeat_at < now() - ?::interval returning id",
                UUID.class, interval());
        jdbc.update("delete from pair_lease where expires_at < now()");
        jdbc.update("update pair_lease set expires_at = ? where instance_id = ?", leaseEnd, self.id());
        int live = jdbc.queryForObject("select count(*) from console_instance", Integer.class);
        int pairs = jdbc.queryForObject("select count(*) from cluster", Integer.class);
        int share = (pairs + live - 1) / live;
        int held = jdbc.queryForObject("select count(*) from pair_lease where instance_id = ?", Integer.class, self.id());
        if (held > share) {
            jdbc.update("""
                    delete from pair_lease where cluster_id in
                      (select cluster_id from pair_lease where instance_id = ? order by cluster_id desc limit ?)""",
                    self.id(), held - share);
        } else if (held < share) {
            jdbc.update("""
                    insert into pair_lease (cluster_id, instance_id, expires_at)
                    select c.id, ?, ? from cluster c
                    where not exists (select 1 from pair_lease l where l.cluster_id = c.id)
                    order by c.id limit ?""", self.id(), leaseEnd, share - held);
        }
        Set<UUID> mine = Set.copyOf(jdbc.queryForList("select cluster_id from pair_lease where instance_id = ?", UUID.class,
                self.id()));
        return new Round(mine, live, gone);
    }

    private String interval() {
        return properties.lease().toMillis() + " milliseconds";
    }
}
