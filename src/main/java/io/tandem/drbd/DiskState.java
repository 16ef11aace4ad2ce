package io.tandem.drbd;

/** DRBD disk states; {@code D_UNKNOWN} is DRBD's "DUnknown" (peer disk not known), {@code UNKNOWN} an unrecognised word. */
public enum DiskState {
    DISKLESS, ATTACHING, DETACHING, FAILED, NEGOTIATING, INCONSISTENT, OUTDATED, D_UNKNOWN, CONSISTENT, UP_TO_DATE,
    UNKNOWN;

    public static DiskState of(String text) {
        return States.lookup(DiskState.class, text, UNKNOWN);
    }

    /** The disk holds a usable copy of the data, possibly stale: the precondition for a split brain. */
    public boolean holdsData() {
        return this == UP_TO_DATE || this == CONSISTENT || this == OUTDATED;
    }
}
