package io.tandem.console;

import java.time.Instant;

/** Times a caller sends for a query: only those PostgreSQL can store and compare (years 1 to 9999) are accepted. */
public final class StoredTime {

    static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");
    static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");

    private StoredTime() {
    }

    /** {@code time} itself (null stays null), or a 400 naming {@code field} when it lies outside years 1 to 9999. */
    public static Instant require(String field, Instant time) {
        if (time != null && (time.isBefore(EARLIEST) || time.isAfter(LATEST))) {
            throw Rejected.invalid("invalid-range", field, "'" + field + "' must lie between the years 1 and 9999.");
        }
        return time;
    }
}
