package io.tandem.node;

import java.util.Locale;

/** systemd's ActiveState of a unit (operator-configured status commands map onto the same values). */
public enum ActiveState {
    ACTIVE, INACTIVE, FAILED, ACTIVATING, DEACTIVATING,
    /** Anything else systemd may print (e.g. {@code reloading}, {@code maintenance}) or nothing at all. */
    UNKNOWN;

    static ActiveState fromSystemd(String value) {
        if (value == null) {
            return UNKNOWN;
        }
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "active", "reloading" -> ACTIVE;
            case "inactive" -> INACTIVE;
            case "failed" -> FAILED;
            case "activating" -> ACTIVATING;
            case "deactivating" -> DEACTIVATING;
            default -> UNKNOWN;
        };
    }
}
