package io.tandem.drbd;

/** DRBD 9 replication states of a peer device; {@code UNKNOWN} is an unrecognised word. */
public enum ReplicationState {
    OFF, ESTABLISHED, STARTING_SYNC_S, STARTING_SYNC_T, WF_BITMAP_S, WF_BITMAP_T, WF_SYNC_UUID, SYNC_SOURCE,
    SYNC_TARGET, VERIFY_S, VERIFY_T, PAUSED_SYNC_S, PAUSED_SYNC_T, AHEAD, BEHIND, UNKNOWN;

    /**
     * Older drbd-utils print {@code replication:Connected} for an established peer device, and DRBD 8.4's
     * {@code cs:} field mixes connection and replication states; both read as {@code ESTABLISHED} here.
     */
    public static ReplicationState of(String text) {
        return "Connected".equalsIgnoreCase(text) ? ESTABLISHED : States.lookup(ReplicationState.class, text, UNKNOWN);
    }

    /** Data is being copied to or from the peer (or waiting to, when paused). */
    public boolean isResync() {
        return switch (this) {
            case STARTING_SYNC_S, STARTING_SYNC_T, WF_BITMAP_S, WF_BITMAP_T, WF_SYNC_UUID, SYNC_SOURCE, SYNC_TARGET,
                 PAUSED_SYNC_S, PAUSED_SYNC_T -> true;
            default -> false;
        };
    }
}
