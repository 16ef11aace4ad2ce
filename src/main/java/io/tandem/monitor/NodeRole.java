package io.tandem.monitor;

/**
 * What a node really is right now, derived from its own facts (service, output gate, DRBD), never from one source
 * alone. Pacemaker's opinion is kept apart in {@link PacemakerOpinion} so that contradictions can be shown.
 */
public enum NodeRole {
    /** NFO runs and its output leaves the node (gate OPEN, or no gate at all: ungated output is open output). */
    ACTIVE,
    /** NFO runs (ingesting, learning templates) and the gate blocks its output. */
    PASSIVE_HOT,
    /** NFO is stopped and the node holds an UpToDate Secondary copy of the DRBD configuration (Cold pairs). */
    PASSIVE_COLD,
    /** NFO is stopped and the node is not a ready Cold passive. */
    STOPPED,
    /** NFO's service is failed, or crashed and is being restarted by systemd. */
    FAILED,
    /**
     * The node answered, but one of the facts that decide its role could not be read (its service state, or the gate
     * of a running NFO): the reason says which. Never drawn or judged as any role.
     */
    UNKNOWN,
    /** Tandem could not read the node at all: neither its agent nor SSH answered, or its key was refused. */
    UNREACHABLE;

    /** Whether the role rests on facts Tandem read (false for UNKNOWN and UNREACHABLE). */
    public boolean known() {
        return this != UNKNOWN && this != UNREACHABLE;
    }
}
