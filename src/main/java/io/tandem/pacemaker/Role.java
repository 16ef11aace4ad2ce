package io.tandem.pacemaker;

/**
 * A resource's role, normalised across releases: Pacemaker 2.1 renamed Master/Slave to Promoted/Unpromoted,
 * and target roles appear in any case ({@code stopped}, {@code Started}).
 */
public enum Role {
    STOPPED, STARTING, STARTED, PROMOTED, UNPROMOTED, STOPPING, MIGRATING, DEMOTING, PROMOTING, UNKNOWN;

    public static Role of(String text) {
        if (text == null || text.isBlank()) {
            return UNKNOWN;
        }
        return switch (text.trim().toLowerCase()) {
            case "stopped" -> STOPPED;
            case "starting" -> STARTING;
            case "started" -> STARTED;
            case "promoted", "master" -> PROMOTED;
            case "unpromoted", "slave" -> UNPROMOTED;
            case "stopping" -> STOPPING;
            case "migrating" -> MIGRATING;
            case "demoting" -> DEMOTING;
            case "promoting" -> PROMOTING;
            default -> UNKNOWN;
        };
    }

    /** Roles in which the resource occupies a node (it is running there, whatever its state of promotion). */
    public boolean isRunning() {
        return this == STARTED || this == PROMOTED || this == UNPROMOTED || this == DEMOTING || this == PROMOTING
                || this == MIGRATING;
    }
}
