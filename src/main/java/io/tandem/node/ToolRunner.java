package io.tandem.node;

import java.time.Duration;
import java.util.List;

/**
 * Runs one of a node's own tools (systemctl, nft, crm_mon, ...) as an argument vector, never as a
 * shell string. Locally on the agent, or over SSH by the agentless adapter; both quote for them.
 *
 * <p>Implementations run tools with {@code LC_ALL=C} and {@code TZ=UTC} (the parsers in this package read
 * untranslated messages and UTC timestamps) and with no input, so a prompting tool fails rather than hangs.
 */
public interface ToolRunner {

    /**
     * @param argv the program and its arguments, each passed as one argument
     * @param timeout the longest the command may run; it is killed after that
     * @return the result, whatever the exit code (a non-zero exit is the caller's to judge)
     * @throws NodeAccessException when the command could not be run at all, or ran out of time
     */
    CommandResult run(List<String> argv, Duration timeout) throws NodeAccessException;
}
