package io.tandem.node;

/**
 * A rule in the gate chain as nft reported it.
 *
 * @param handle nft's rule handle
 * @param destination what the rule matches, or null when it is not in the form {@link OutputGate} writes
 * @param drop whether the rule's verdict is drop
 * @param packets, bytes what the rule's counter has matched since it was added (0 without a counter): packets
 *        dropped by a gate rule are output the active node would have sent
 * @param comment the rule comment ({@value OutputGate#COMMENT} marks our own rules), empty when none
 */
public record GateRule(long handle, GateDestination destination, boolean drop, long packets, long bytes,
        String comment) {

    /** Written by Tandem: a gate rule, or a hold rule of a handover ({@link OutputGate#HOLD_COMMENT_PREFIX}). */
    public boolean ours() {
        return OutputGate.COMMENT.equals(comment) || heldUntil().isPresent();
    }

    /** The deadline when this is a rule of Tandem's handover hold. */
    public java.util.Optional<java.time.Instant> heldUntil() {
        return OutputGate.holdDeadline(comment);
    }

    /** One of our drop rules, in our form: the thing that makes the gate blocked. */
    public boolean gateDrop() {
        return ours() && drop && destination != null;
    }
}
