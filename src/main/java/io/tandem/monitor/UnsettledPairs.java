package io.tandem.monitor;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which pairs changed recently, for polling SSH nodes faster while a takeover may be under way (ADR 0009). A pair is
 * unsettled for {@code unsettledHold} after its roles changed or a finding was raised or cleared; a finding whose
 * wording merely changed (an age, a rate) is no event. Each such change may ask for its SSH nodes to be read at
 * once, but at most once per {@code sshUnsettledInterval} per pair, so a pair whose judgement keeps changing can
 * never make its nodes be read back to back. Thread-safe.
 */
final class UnsettledPairs {

    private final Duration hold;
    private final Duration minimumGap;
    private final Map<UUID, Instant> until = new ConcurrentHashMap<>();
    private final Map<UUID, Instant> lastEarlyRead = new ConcurrentHashMap<>();

    UnsettledPairs(MonitorProperties properties) {
        this.hold = properties.unsettledHold();
        this.minimumGap = properties.sshUnsettledInterval();
    }

    /** Notes a judged change of the pair; true when its SSH nodes should be read now. */
    boolean changed(UUID pair, HealthDiff diff, Instant now) {
        if (diff.roleChanges().isEmpty() && diff.raised().isEmpty() && diff.cleared().isEmpty()) {
            return false;
        }
        until.put(pair, now.plus(hold));
        Instant last = lastEarlyRead.get(pair);
        if (last != null && now.isBefore(last.plus(minimumGap))) {
            return false;
        }
        lastEarlyRead.put(pair, now);
        return true;
    }

    boolean isUnsettled(UUID pair, Instant now) {
        return now.isBefore(until.getOrDefault(pair, Instant.EPOCH));
    }

    /** Drops what no longer matters (pairs settled or gone), so the maps do not grow with the fleet's history. */
    void forgetSettled(Instant now) {
        until.values().removeIf(at -> !now.isBefore(at));
        lastEarlyRead.values().removeIf(at -> !now.isBefore(at.plus(hold)));
    }
}
