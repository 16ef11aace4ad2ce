package io.tandem.access;

import java.time.Clock;
import java.time.Duration;

import io.tandem.node.FileSource;
import io.tandem.node.NodeAccessException;
import io.tandem.node.NodeFactsCollector;
import io.tandem.node.NodeSnapshot;
import io.tandem.node.ServiceControl;
import io.tandem.node.SnapshotCollector;
import io.tandem.node.ToolRunner;

/**
 * An in-memory node for tests of what consumes snapshots: the recorded tools, the real collector,
 * a fixed key. It honours pinning like the real adapters so callers meet the same refusals.
 */
public final class FakeNodeAccess implements NodeAccess {

    public static final String KEY = "SHA256:fakefakefakefakefakefakefakefakefakefakefak";

    private final ToolRunner tools = new RecordedNode().toolRunner();
    private volatile boolean reachable = true;

    public void setReachable(boolean reachable) {
        this.reachable = reachable;
    }

    @Override
    public NodeTarget.Transport transport() {
        return NodeTarget.Transport.SSH;
    }

    @Override
    public PresentedKey presentedKey(NodeTarget node) throws NodeAccessException {
        requireReachable(node);
        return new PresentedKey(KEY, "fake");
    }

    @Override
    public NodeSnapshot snapshot(NodeTarget node) throws NodeAccessException {
        requireReachable(node);
        if (!KEY.equals(node.pinnedFingerprint())) {
            throw new NodeAccessException.KeyRejected(node.pinnedFingerprint(), KEY);
        }
        return new SnapshotCollector(tools, FileSource.viaTool(tools, Duration.ofSeconds(5)), Clock.systemUTC(),
                new SnapshotCollector.Settings(new NodeFactsCollector.Settings(ServiceControl.systemd(node.serviceUnit()),
                        node.flowPorts(), Duration.ofSeconds(5)), Duration.ofSeconds(5), node.expectDrbd())).collect();
    }

    private void requireReachable(NodeTarget node) throws NodeAccessException {
        if (!reachable || node.port() == NodeAccessContract.CLOSED_PORT) {
            throw new NodeAccessException.Unreachable("connection refused: " + node, null);
        }
    }
}
