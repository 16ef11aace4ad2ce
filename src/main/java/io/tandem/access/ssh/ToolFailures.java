package io.tandem.access.ssh;

import java.util.Optional;

import io.tandem.node.CommandResult;
import io.tandem.node.NodeAccessException;

/**
 * Tells "the tool could not run at all" apart from "the tool ran and failed", which stays a result
 * for the caller to judge. Only the shell's and sudo's own, well-known signals count.
 */
final class ToolFailures {

    /** POSIX shells exit 127 when the program is not found, 126 when it cannot be executed. */
    private static final int NOT_FOUND = 127;
    private static final int NOT_EXECUTABLE = 126;

    private ToolFailures() {
    }

    static Optional<NodeAccessException> of(String program, CommandResult result) {
        if (result.succeeded()) {
            return Optional.empty();
        }
        String stderr = result.stderr() == null ? "" : result.stderr();
        String detail = program + ": " + result.firstErrorLine();
        if (result.exitCode() == NOT_FOUND || sudoSays(stderr, "command not found")) {
            return Optional.of(new NodeAccessException.ToolMissing(detail, null));
        }
        if (result.exitCode() == NOT_EXECUTABLE
                || sudoSays(stderr, "a password is required")
                || sudoSays(stderr, "a terminal is required")
                || sudoSays(stderr, "is not in the sudoers file")
                || stderr.lines().anyMatch(line -> line.startsWith("Sorry, user ") && line.contains(" is not allowed to "))
                || stderr.contains("Permission denied")) {
            return Optional.of(new NodeAccessException.PermissionDenied(detail, null));
        }
        return Optional.empty();
    }

    /** sudo prefixes its own complaints with "sudo: "; a tool's output saying the same does not count. */
    private static boolean sudoSays(String stderr, String phrase) {
        return stderr.lines().anyMatch(line -> line.startsWith("sudo: ") && line.contains(phrase));
    }
}
