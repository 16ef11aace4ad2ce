package io.tandem.pacemaker;

/**
 * How often a resource failed on a node, from {@code crm_mon}'s {@code node_history} ({@code fail-count} of a
 * {@code resource_history}); Pacemaker moves the resource away once the count reaches the migration threshold.
 *
 * @param count the failures, {@code 1000000} for Pacemaker's INFINITY
 * @param migrationThreshold the resource's threshold, or 0 when not reported
 */
public record FailCount(String node, String resource, int count, int migrationThreshold) {

    /** Pacemaker writes INFINITY as 1000000. */
    public static final int INFINITY = 1_000_000;

    public String countText() {
        return count >= INFINITY ? "INFINITY" : String.valueOf(count);
    }
}
