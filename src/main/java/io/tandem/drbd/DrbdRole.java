package io.tandem.drbd;

/** A node's role for a resource; {@code UNKNOWN} is also what DRBD reports for an unreachable peer. */
public enum DrbdRole {
    PRIMARY, SECONDARY, UNKNOWN;

    public static DrbdRole of(String text) {
        return States.lookup(DrbdRole.class, text, UNKNOWN);
    }
}
