package io.tandem.pacemaker;

/**
 * A cluster command that will not be built: unknown verb, malformed or unknown resource/node name, or a missing or
 * surplus argument. The agent maps it to a 400 with {@link #reason()} as the stable problem type.
 */
public final class CommandRejectedException extends Exception {

    public enum Reason { UNKNOWN_VERB, INVALID_NAME, UNKNOWN_RESOURCE, UNKNOWN_NODE, MISSING_ARGUMENT, UNEXPECTED_ARGUMENT }

    private final Reason reason;

    public CommandRejectedException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
