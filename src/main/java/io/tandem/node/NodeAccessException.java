package io.tandem.node;

import java.io.Serial;

/**
 * Why Tandem could not learn or change something on a node. A closed family, so every caller (the
 * UI's "Test connection", the monitor, operations) can name the cause in operator words.
 */
public abstract sealed class NodeAccessException extends Exception {

    @Serial
    private static final long serialVersionUID = 1L;

    private NodeAccessException(String message, Throwable cause) {
        super(message, cause);
    }

    /** A short operator-facing name of the cause, e.g. "unreachable" or "key changed". */
    public abstract String reason();

    /** No route, connection refused, DNS failure: nothing answered. */
    public static final class Unreachable extends NodeAccessException {
        public Unreachable(String message, Throwable cause) {
            super(message, cause);
        }

        @Override
        public String reason() {
            return "unreachable";
        }
    }

    /** Something answered but not within the configured time (connect, auth, channel or command). */
    public static final class TimedOut extends NodeAccessException {
        public TimedOut(String message, Throwable cause) {
            super(message, cause);
        }

        @Override
        public String reason() {
            return "timeout";
        }
    }

    /** The node refused our credential (SSH key or agent token). */
    public static final class AuthRefused extends NodeAccessException {
        public AuthRefused(String message, Throwable cause) {
            super(message, cause);
        }

        @Override
        public String reason() {
            return "auth refused";
        }
    }

    /**
     * The node presented a host key or certificate that is not the pinned one. With no pin yet,
     * {@link #expected()} is null and the admin is asked to confirm {@link #presented()}.
     */
    public static final class KeyRejected extends NodeAccessException {
        private final String expected;
        private final String presented;

        public KeyRejected(String expected, String presented) {
            super(expected == null
                    ? "The node presented " + presented + ", which is not pinned yet; confirm it to pin it."
                    : "KEY CHANGED: the node presented " + presented + " but " + expected + " is pinned. "
                            + "Refusing to connect: this may be an attack, or the node was reinstalled.", null);
            this.expected = expected;
            this.presented = presented;
        }

        public String expected() {
            return expected;
        }

        public String presented() {
            return presented;
        }

        public boolean notPinnedYet() {
            return expected == null;
        }

        @Override
        public String reason() {
            return expected == null ? "key not pinned" : "key changed";
        }
    }

    /** The tool is not installed (or not on the configured path) on the node. */
    public static final class ToolMissing extends NodeAccessException {
        public ToolMissing(String message, Throwable cause) {
            super(message, cause);
        }

        @Override
        public String reason() {
            return "tool missing";
        }
    }

    /** The tool ran but was not allowed to (no root, sudo refused, file permissions). */
    public static final class PermissionDenied extends NodeAccessException {
        public PermissionDenied(String message, Throwable cause) {
            super(message, cause);
        }

        @Override
        public String reason() {
            return "permission denied";
        }
    }

    /** The node understood the request and refused it (e.g. the agent's 4xx problem). */
    public static final class RequestRefused extends NodeAccessException {
        private final int status;
        private final String type;
        private final String problemReason;

        public RequestRefused(int status, String type, String message) {
            this(status, type, null, message);
        }

        /** @param problemReason the node's own finer reason for the refusal, e.g. {@code UNKNOWN_RESOURCE}; may be null */
        public RequestRefused(int status, String type, String problemReason, String message) {
            super(message, null);
            this.status = status;
            this.type = type;
            this.problemReason = problemReason;
        }

        public String problemReason() {
            return problemReason;
        }

        public int status() {
            return status;
        }

        public String type() {
            return type;
        }

        @Override
        public String reason() {
            return "refused";
        }
    }

    /** The node answered something we cannot read (malformed output, unknown format). */
    public static final class BadAnswer extends NodeAccessException {
        public BadAnswer(String message, Throwable cause) {
            super(message, cause);
        }

        @Override
        public String reason() {
            return "bad answer";
        }
    }
}
