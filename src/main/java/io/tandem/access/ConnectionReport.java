package io.tandem.access;

import java.util.List;

/**
 * The outcome of "Test connection" in operator words: what Tandem found on the node, or why it
 * could not look, and which key the node presents (to pin, or because it changed).
 *
 * @param outcome OK, PIN_NEEDED (reachable, key not pinned yet), KEY_CHANGED, or FAILED
 * @param cause short cause when not OK: unreachable, timeout, auth refused, key changed, tool missing, ...
 * @param facts label/value lines of what was found, in reading order
 * @param partFailures parts that could not be read although the node answered
 */
public record ConnectionReport(
        Outcome outcome,
        String cause,
        String message,
        String presentedKey,
        String keyDescription,
        String pinnedKey,
        List<Fact> facts,
        List<String> partFailures) {

    public enum Outcome { OK, PIN_NEEDED, KEY_CHANGED, FAILED }

    public record Fact(String label, String value) {
    }
}
