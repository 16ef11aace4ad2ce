package io.tandem.node;

import java.util.Collection;
import java.util.List;

/**
 * The output gate as the firewall holds it, read from {@code nft -j list table inet tandem}.
 *
 * @param status blocked, open or absent (see {@link GateStatus})
 * @param chainHooked the {@code output} chain exists with {@code type filter hook output}; without it no rule
 *        in the table sees a packet
 * @param rules every rule of the gate chain, ours and others, in chain order
 * @param problems anything in the table that deviates from the convention and could make the status lie (a
 *        foreign rule before ours, a drop policy, a rule we cannot read); empty when the table is as we write it
 * @param nftVersion the nft version from the JSON metainfo, empty when absent
 */
public record GateState(GateStatus status, boolean chainHooked, List<GateRule> rules, List<String> problems,
        String nftVersion) {

    public GateState {
        rules = List.copyOf(rules);
        problems = List.copyOf(problems);
        nftVersion = nftVersion == null ? "" : nftVersion;
    }

    static GateState absent() {
        return new GateState(GateStatus.ABSENT, false, List.of(), List.of(), "");
    }

    /** Configured destinations that no drop rule covers: with some present, the node is only partly blocked. */
    public List<GateDestination> unblocked(Collection<GateDestination> configured) {
        return configured.stream().filter(destination -> rules.stream()
                .noneMatch(rule -> rule.gateDrop() && destination.equals(rule.destination()))).toList();
    }

    /**
     * When Tandem holds this gate blocked for a handover (every drop rule a hold rule), the hold's earliest deadline;
     * empty for Pacemaker's own blocked gate, an open one or a mix.
     */
    public java.util.Optional<java.time.Instant> heldUntil() {
        List<GateRule> drops = rules.stream().filter(GateRule::gateDrop).toList();
        if (drops.isEmpty() || !drops.stream().allMatch(rule -> rule.heldUntil().isPresent())) {
            return java.util.Optional.empty();
        }
        return drops.stream().map(rule -> rule.heldUntil().orElseThrow()).min(java.time.Instant::compareTo);
    }

    /** Everything the gate has dropped since its rules were (re)written. */
    public long droppedPackets() {
        return rules.stream().filter(GateRule::gateDrop).mapToLong(GateRule::packets).sum();
    }
}
