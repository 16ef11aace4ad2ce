package io.tandem.monitor.web;

import java.time.Duration;
import java.time.Instant;

import io.tandem.monitor.NodeObservation;

/**
 * How old one node's data is on the page, and whether it is past the freshness bound (the part is greyed out).
 *
 * @param seconds since the node's latest reading, or since the latest failed attempt when {@code failed}
 * @param neverRead the node has not been read since the console started: there is no age to count
 * @param failed the latest attempt to read the node failed: there is no current data at all
 * @param readAt when the data was read (epoch ms), so the browser keeps counting the age between pushes; null when
 *        there is no data to count an age for (never read, or the latest read failed)
 * @param staleAfter the freshness bound in seconds
 */
public record DataAge(long seconds, boolean stale, boolean neverRead, boolean failed, Long readAt, long staleAfter) {

    static DataAge of(NodeObservation observation, Instant now, Duration freshness) {
        if (observation.neverRead()) {
            return new DataAge(0, true, true, true, null, freshness.toSeconds());
        }
        long seconds = Math.max(0, Duration.between(observation.observedAt(), now).toSeconds());
        if (!observation.reachable()) {
            return new DataAge(seconds, true, false, true, null, freshness.toSeconds());
        }
        return new DataAge(seconds, seconds > freshness.toSeconds(), false, false, observation.observedAt().toEpochMilli(),
                freshness.toSeconds());
    }

    public String label() {
        if (neverRead) {
            return "not read yet";
        }
        if (failed) {
            return "no data (read failed " + PairDetails.human(Duration.ofSeconds(seconds)) + " ago)";
        }
        return PairDetails.human(Duration.ofSeconds(seconds)) + " old" + (stale ? " (stale)" : "");
    }
}
