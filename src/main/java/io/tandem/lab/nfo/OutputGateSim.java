package io.tandem.lab.nfo;

import java.util.ArrayList;
import java.util.List;

import io.tandem.node.GateDestination;

/**
 * The output gate of one simulated node, as the nftables table of {@code docs/adr/0002} would behave: BLOCKED
 * holds one drop rule per destination, each with a packet/byte counter; OPEN holds none. Like nft, a send is
 * dropped only when a rule matches its destination exactly, and rewriting the rules (block or open) resets the
 * counters. Thread-safe: the NFO's output thread asks {@link #admit} while the simulation switches the gate.
 */
public final class OutputGateSim {

    /** One drop rule and what it has matched since it was written. */
    public record Rule(GateDestination destination, long packets, long bytes) {
    }

    private final List<MutableRule> rules = new ArrayList<>();
    /** Set while Tandem holds the gate blocked for a handover ({@code OutputGate.holdCommand}): the hold's deadline. */
    private java.time.Instant heldUntil;

    /** A gate as the setup leaves it at boot: blocked for these destinations (empty: open). */
    public OutputGateSim(List<GateDestination> blockedAtStart) {
        if (!blockedAtStart.isEmpty()) {
            block(blockedAtStart);
        }
    }

    public static OutputGateSim opened() {
        return new OutputGateSim(List.of());
    }

    /** Replaces the rules with one drop rule per distinct destination, as {@code OutputGate.blockCommand} does. */
    public synchronized void block(List<GateDestination> destinations) {
        if (destinations.isEmpty()) {
            throw new IllegalArgumentException("blocking needs at least one output destination");
        }
        rules.clear();
        heldUntil = null;
        destinations.stream().distinct().forEach(d -> rules.add(new MutableRule(d)));
    }

    /** Blocks with hold rules until {@code until}, as {@code OutputGate.holdCommand} does. */
    public synchronized void hold(List<GateDestination> destinations, java.time.Instant until) {
        block(destinations);
        heldUntil = java.util.Objects.requireNonNull(until, "until");
    }

    /** The deadline of Tandem's hold, null when the gate is open or blocked by Pacemaker. */
    public synchronized java.time.Instant heldUntil() {
        return heldUntil;
    }

    /** Removes every rule, as {@code OutputGate.openCommand} does. */
    public synchronized void open() {
        rules.clear();
        heldUntil = null;
    }

    public synchronized boolean blocked() {
        return !rules.isEmpty();
    }

    public synchronized List<Rule> rules() {
        return rules.stream().map(r -> new Rule(r.destination, r.packets, r.bytes)).toList();
    }

    /**
     * Consulted before each send: false (and counted on the matching rule) when a rule drops packets to this
     * destination.
     */
    public synchronized boolean admit(GateDestination destination, int bytes) {
        for (MutableRule rule : rules) {
            if (rule.destination.equals(destination)) {
                rule.packets++;
                rule.bytes += bytes;
                return false;
            }
        }
        return true;
    }

    public synchronized long droppedPackets() {
        return rules.stream().mapToLong(r -> r.packets).sum();
    }

    public synchronized long droppedBytes() {
        return rules.stream().mapToLong(r -> r.bytes).sum();
    }

    private static final class MutableRule {
        private final GateDestination destination;
        private long packets;
        private long bytes;

        private MutableRule(GateDestination destination) {
            this.destination = destination;
        }
    }
}
