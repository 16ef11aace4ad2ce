package io.tandem.access;

import java.util.List;

import io.tandem.console.Rejected;

/**
 * A pin refused because the node presents another key than the one confirmed: both fingerprints travel with it,
 * so automation can tell a typo from a node whose key changed since it was compared.
 */
public class KeyMismatch extends Rejected {

    private final String presented;
    private final String confirmed;

    KeyMismatch(String presented, String confirmed) {
        super(Kind.CONFLICT, "key-mismatch", List.of(new Violation("fingerprint", message(presented))), message(presented));
        this.presented = presented;
        this.confirmed = confirmed;
    }

    private static String message(String presented) {
        return "The node now presents " + presented + ", not the key you confirmed. Test the connection again before pinning.";
    }

    /** What the node presents now. */
    public String presented() {
        return presented;
    }

    /** What the caller confirmed (may be null when none was given). */
    public String confirmed() {
        return confirmed;
    }
}
