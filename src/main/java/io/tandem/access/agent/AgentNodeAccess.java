package io.tandem.access.agent;

import java.util.ArrayList;
import java.util.List;

import org.springframework.stereotype.Component;

import io.tandem.access.NodeAccess;
import io.tandem.access.NodeTarget;
import io.tandem.agent.wire.AgentProtocol;
import io.tandem.node.NodeAccessException;
import io.tandem.node.NodeSnapshot;

/** Access through the Tandem agent: HTTPS with the pinned certificate and the node's agent token. */
@Component
public class AgentNodeAccess implements NodeAccess {

    private final AgentClientSettings settings;

    public AgentNodeAccess() {
        this(AgentClientSettings.defaults());
    }

    AgentNodeAccess(AgentClientSettings settings) {
        this.settings = settings;
    }

    @Override
    public NodeTarget.Transport transport() {
        return NodeTarget.Transport.AGENT;
    }

    @Override
    public PresentedKey presentedKey(NodeTarget node) throws NodeAccessException {
        PresentedCertificate certificate = AgentClient.probe(node.address(), node.agentPort(), settings.connect());
        return new PresentedKey(certificate.fingerprint(), certificate.subject() + ", valid until " + certificate.notAfter());
    }

    @Override
    public NodeSnapshot snapshot(NodeTarget node) throws NodeAccessException {
        if (node.credential() == null) {
            throw new NodeAccessException.AuthRefused("No agent token is stored for " + node.name() + ".", null);
        }
        AgentClient client = new AgentClient(node.address(), node.agentPort(), node.pinnedFingerprint(), node.credential(), settings);
        NodeSnapshot snapshot = client.get(AgentProtocol.SNAPSHOT, NodeSnapshot.class);
        return expectDrbd(node, snapshot);
    }

    @Override
    public java.util.Optional<io.tandem.node.config.ConfigManifest> manifest(NodeTarget node) throws NodeAccessException {
        if (node.credential() == null) {
            throw new NodeAccessException.AuthRefused("No agent token is stored for " + node.name() + ".", null);
        }
        AgentClient client = new AgentClient(node.address(), node.agentPort(), node.pinnedFingerprint(), node.credential(), settings);
        return java.util.Optional.of(client.get(AgentProtocol.CONFIG_MANIFEST, io.tandem.node.config.ConfigManifest.class));
    }

    @Override
    public java.util.Optional<Watch> watch(NodeTarget node, Runnable onChange) throws NodeAccessException {
        if (node.credential() == null || node.pinnedFingerprint() == null) {
            return java.util.Optional.empty();
        }
        AgentClient client = new AgentClient(node.address(), node.agentPort(), node.pinnedFingerprint(), node.credential(), settings);
        EventSubscription subscription = client.events(null, event -> onChange.run());
        return java.util.Optional.of(new Watch() {
            @Override
            public boolean isOpen() {
                return subscription.isOpen();
            }

            @Override
            public void close() {
                subscription.close();
            }
        });
    }

    /** The agent does not know the pair's mode; in Cold mode a node without DRBD is a failure the console must see. */
    private static NodeSnapshot expectDrbd(NodeTarget node, NodeSnapshot snapshot) {
        if (!node.expectDrbd() || snapshot.drbd() != null || snapshot.failure("drbd").isPresent()) {
            return snapshot;
        }
        List<NodeSnapshot.PartFailure> failures = new ArrayList<>(snapshot.failures());
        failures.add(new NodeSnapshot.PartFailure("drbd", "tool missing", "DRBD is not installed or not running on " + node.name()
                + ", but this is a Cold pair."));
        return new NodeSnapshot(snapshot.takenAt(), snapshot.host(), snapshot.service(), snapshot.udp(), snapshot.gate(),
                snapshot.crmMon(), snapshot.constraints(), snapshot.drbd(), snapshot.templates(), failures);
    }
}
