package io.tandem.pacemaker;

/**
 * A Pacemaker document ({@code crm_mon} XML, CIB) that could not be read: not well-formed, hostile (DOCTYPE,
 * entities), too large, or of a shape this parser does not recognise. The message says which, for an operator.
 */
public final class PacemakerParseException extends Exception {

    public PacemakerParseException(String message) {
        super(message);
    }

    public PacemakerParseException(String message, Throwable cause) {
        super(message, cause);
    }
}
