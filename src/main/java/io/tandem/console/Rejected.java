package io.tandem.console;

/**
 * A request refused for a reason the caller can fix. Carries a stable problem {@code type} slug
 * (exposed as {@code urn:tandem:problem:<slug>}), the kind (which picks the HTTP status) and,
 * when one input is to blame, the name of that field so the UI can show the message beside it.
 */
public class Rejected extends RuntimeException {

    public enum Kind { INVALID, NOT_FOUND, CONFLICT, FORBIDDEN }

    private final Kind kind;
    private final String type;
    private final String field;

    public Rejected(Kind kind, String type, String field, String message) {
        super(message);
        this.kind = kind;
        this.type = type;
        this.field = field;
    }

    public static Rejected invalid(String type, String field, String message) {
        return new Rejected(Kind.INVALID, type, field, message);
    }

    public static Rejected notFound(String what, Object id) {
        return new Rejected(Kind.NOT_FOUND, "not-found", null, what + " " + id + " does not exist");
    }

    public static Rejected conflict(String type, String field, String message) {
        return new Rejected(Kind.CONFLICT, type, field, message);
    }

    public Kind kind() {
        return kind;
    }

    public String type() {
        return type;
    }

    /** The input field to blame, or null when the whole request is at fault. */
    public String field() {
        return field;
    }
}
