package io.tandem.console;

import java.util.List;

/**
 * A request refused for a reason the caller can fix. Carries a stable problem {@code type} slug
 * (exposed as {@code urn:tandem:problem:<slug>}), the kind (which picks the HTTP status) and the
 * inputs to blame, so the UI can show each message beside its field and the API can list them.
 */
public class Rejected extends RuntimeException {

    public enum Kind { INVALID, NOT_FOUND, CONFLICT, FORBIDDEN }

    /** One input at fault: a field path such as {@code nodes[1].address}, or null for the whole request. */
    public record Violation(String field, String message) {
    }

    private final Kind kind;
    private final String type;
    private final List<Violation> violations;

    public Rejected(Kind kind, String type, List<Violation> violations, String message) {
        super(message);
        this.kind = kind;
        this.type = type;
        this.violations = List.copyOf(violations);
    }

    public static Rejected invalid(String type, String field, String message) {
        return new Rejected(Kind.INVALID, type, List.of(new Violation(field, message)), message);
    }

    /** Several inputs at fault at once, so the user fixes them in one go. */
    public static Rejected invalid(String type, List<Violation> violations) {
        String summary = violations.size() == 1 ? violations.get(0).message()
                : violations.size() + " fields need attention: " + violations.get(0).message() + " ...";
        return new Rejected(Kind.INVALID, type, violations, summary);
    }

    public static Rejected notFound(String what, Object id) {
        return new Rejected(Kind.NOT_FOUND, "not-found", List.of(), what + " " + id + " does not exist.");
    }

    public static Rejected conflict(String type, String field, String message) {
        return new Rejected(Kind.CONFLICT, type, List.of(new Violation(field, message)), message);
    }

    public Kind kind() {
        return kind;
    }

    public String type() {
        return type;
    }

    public List<Violation> violations() {
        return violations;
    }

    /** The first field to blame, or null. */
    public String field() {
        return violations.isEmpty() ? null : violations.get(0).field();
    }
}
