package io.tandem.access.ssh;

import java.nio.file.Path;
import java.time.Duration;

import org.springframework.stereotype.Component;

import io.tandem.access.HostCommand;
import io.tandem.access.NodeShell;
import io.tandem.access.NodeTarget;
import io.tandem.node.CommandResult;
import io.tandem.node.NodeAccessException;

/** {@link NodeShell} over the node's shared SSH connection: exec channels for commands, SFTP for uploads. */
@Component
class SshNodeShell implements NodeShell {

    private final SshConnections connections;

    SshNodeShell(SshConnections connections) {
        this.connections = connections;
    }

    @Override
    public CommandResult run(NodeTarget node, HostCommand command, Duration timeout) throws NodeAccessException {
        return connections.runner(target(node)).run(command.argv(), command.stdin(), timeout);
    }

    @Override
    public void upload(NodeTarget node, Path local, String remotePath, Duration timeout) throws NodeAccessException {
        connections.files(target(node)).withTimeout(timeout).upload(local, remotePath, 0600);
    }

    private static SshTarget target(NodeTarget node) throws NodeAccessException {
        if (node.transport() != NodeTarget.Transport.SSH || node.credential() == null) {
            throw new NodeAccessException.AuthRefused("No SSH private key is stored for " + node.name() + ".", null);
        }
        return SshNodeAccess.target(node);
    }
}
