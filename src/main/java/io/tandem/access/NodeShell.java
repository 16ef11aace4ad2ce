package io.tandem.access;

import java.nio.file.Path;
import java.time.Duration;

import io.tandem.node.CommandResult;
import io.tandem.node.NodeAccessException;

/**
 * Root's shell on a node reached over SSH, for what only SSH can do: install, upgrade and remove the agent itself
 * (the agent cannot replace its own jar or unit). Runs only the {@link HostCommand}s of {@link AgentHostCommands}.
 */
public interface NodeShell {

    /** Runs one command as root; the result carries the exit code the caller must judge. */
    CommandResult run(NodeTarget node, HostCommand command, Duration timeout) throws NodeAccessException;

    /**
     * Copies a local file to a new remote path as the SSH user (SFTP), mode 0600; refused when the path exists.
     */
    void upload(NodeTarget node, Path local, String remotePath, Duration timeout) throws NodeAccessException;
}
