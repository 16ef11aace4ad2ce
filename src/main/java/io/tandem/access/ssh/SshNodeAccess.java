package io.tandem.access.ssh;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import org.springframework.stereotype.Component;

import io.tandem.access.NodeAccess;
import io.tandem.access.NodeTarget;
import io.tandem.node.FileSource;
import io.tandem.node.NodeAccessException;
import io.tandem.node.NodeFactsCollector;
import io.tandem.node.NodeSnapshot;
import io.tandem.node.ServiceControl;
import io.tandem.node.SnapshotCollector;
import io.tandem.node.ToolRunner;
import io.tandem.node.config.ConfigFile;
import io.tandem.node.config.ConfigManifest;
import io.tandem.node.config.ConfigScope;
import io.tandem.node.config.ConfigRefusedException;

/** Agentless access: the node's own tools over one reused SSH connection, parsed on the console. */
@Component
public class SshNodeAccess implements NodeAccess {

    private final SshConnections connections;
    private final Clock clock;

    public SshNodeAccess(SshConnections connections, Clock clock) {
        this.connections = connections;
        this.clock = clock;
    }

    @Override
    public NodeTarget.Transport transport() {
        return NodeTarget.Transport.SSH;
    }

    @Override
    public PresentedKey presentedKey(NodeTarget node) throws NodeAccessException {
        PresentedHostKey key = connections.probeHostKey(node.address(), node.sshPort(), connections.settings().connectTimeout());
        return new PresentedKey(key.fingerprint(), key.keyType());
    }

    @Override
    public NodeSnapshot snapshot(NodeTarget node) throws NodeAccessException {
        requireCredential(node);
        ToolRunner tools = withStableOutput(connections.runner(target(node)));
        SnapshotCollector collector = new SnapshotCollector(tools, FileSource.viaTool(tools, connections.settings().commandTimeout()),
                clock, new SnapshotCollector.Settings(new NodeFactsCollector.Settings(ServiceControl.systemd(node.serviceUnit()),
                        node.flowPorts(), connections.settings().commandTimeout()),
                        connections.settings().commandTimeout(), node.expectDrbd()));
        return collector.collect();
    }

    @Override
    public ConfigFile readFile(NodeTarget node, String path) throws NodeAccessException, ConfigRefusedException {
        return configFiles(node).read(path);
    }

    @Override
    public ConfigManifest manifest(NodeTarget node) throws NodeAccessException, ConfigRefusedException {
        // the remote shell enters the home (following a symlinked home as the agent's real path does): no extra trip
        ConfigScope scope = configFiles(node).scope(node.nfoHome());
        return new SshManifest(connections.runner(target(node)), connections.settings().commandTimeout(),
                connections.settings().maxOutputBytes()).take(node.nfoHome(), scope);
    }

    private SshConfigFiles configFiles(NodeTarget node) throws NodeAccessException {
        requireCredential(node);
        return new SshConfigFiles(connections.files(target(node)), node, connections.settings().maxFileReadBytes());
    }

    private static void requireCredential(NodeTarget node) throws NodeAccessException {
        if (node.credential() == null) {
            throw new NodeAccessException.AuthRefused("No SSH private key is stored for " + node.name() + ".", null);
        }
    }

    static SshTarget target(NodeTarget node) {
        return new SshTarget(node.address(), node.sshPort(), node.sshUser(), node.credential(), null,
                node.pinnedFingerprint(), node.sudo());
    }

    /** The parsers expect the C locale and UTC timestamps, whatever the login environment says. */
    static ToolRunner withStableOutput(ToolRunner remote) {
        return (argv, timeout) -> remote.run(stable(argv), timeout);
    }

    static List<String> stable(List<String> argv) {
        List<String> wrapped = new ArrayList<>(List.of("env", "LC_ALL=C", "TZ=UTC"));
        wrapped.addAll(argv);
        return wrapped;
    }
}
