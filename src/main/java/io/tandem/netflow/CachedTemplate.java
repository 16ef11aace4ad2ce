package io.tandem.netflow;

/**
 * Immutable view of one cache entry at snapshot time. Times are epoch milliseconds;
 * {@code refreshIntervalMillis} is 0 until the template has been seen twice with the same definition;
 * {@code lastDataMillis} is 0 when no data used it; {@code recordsPerSecond} is the data-record rate
 * over the last complete rate window.
 */
public record CachedTemplate(
        TemplateKey key,
        TemplateDefinition definition,
        long firstSeenMillis,
        long lastSeenMillis,
        long refreshCount,
        long refreshIntervalMillis,
        long dataRecords,
        long lastDataMillis,
        double recordsPerSecond) {

    public TemplateKind kind() {
        return definition.kind();
    }

    /** Not refreshed within twice its observed refresh interval (unknown interval: never stale). */
    public boolean isStale(long nowMillis) {
        return refreshIntervalMillis > 0 && nowMillis - lastSeenMillis > 2 * refreshIntervalMillis;
    }

    /** Saw data within {@code windowMillis} before {@code nowMillis}. */
    public boolean isInUse(long nowMillis, long windowMillis) {
        return dataRecords > 0 && nowMillis - lastDataMillis <= windowMillis;
    }
}
