package io.tandem.drbd;

/** DRBD output that could not be read; the message names the format, and the line where there is one. */
public final class DrbdParseException extends Exception {

    public DrbdParseException(String message) {
        super(message);
    }

    public DrbdParseException(String message, Throwable cause) {
        super(message, cause);
    }
}
