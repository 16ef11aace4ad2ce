package io.tandem.monitor.web;

import java.time.Duration;
import java.time.Instant;

import io.tandem.monitor.NodeObservation;

/**
 * How old one node's data is on the page, and whether it is past the freshness bound (the part is greyed out).
 *
 * @param readAt when the data was read (epoch ms), so the browser keeps counting the age between pushes
 * @param staleAfter the freshness bound in seconds
 */
public record DataAge(long seconds, boolean stale, long readAt, long staleAfter) {

    static DataAge of(NodeObservation observation, Instant now, Duration freshness) {
        long seconds = Math.max(0, Duration.between(observation.observedAt(), now).toSeconds());
        return new DataAge(seconds, seconds > freshness.toSeconds(), observation.observedAt().toEpochMilli(), freshness.toSeconds());
    }

    public String label() {
        return PairDetails.human(Duration.ofSeconds(seconds)) + " old" + (stale ? " (stale)" : "");
    }
}
