package io.tandem.access.agent;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.springframework.stereotype.Component;

import io.tandem.access.NodeAccess;
import io.tandem.access.NodeTarget;
import io.tandem.agent.wire.AgentProtocol;
import io.tandem.agent.wire.ConfigProblems;
import io.tandem.node.NodeAccessException;
import io.tandem.node.NodeSnapshot;
import io.tandem.node.config.ConfigFile;
import io.tandem.node.config.ConfigManifest;
import io.tandem.node.config.ConfigRefusal;
import io.tandem.node.config.ConfigRefusedException;

/** Access through the Tandem agent: HTTPS with the pinned certificate and the node's agent token. */
@Component
public class AgentNodeAccess implements NodeAccess {

    private final AgentClientSettings settings;
    /**
     * One client per agent, reused by every poll: a new client per call would mean a new TLS handshake
     * every two seconds per node. A changed pin or token makes a new key and replaces the old client.
     */
    private final java.util.Map<Endpoint, AgentClient> clients = new java.util.concurrent.ConcurrentHashMap<>();

    private record Endpoint(String address, int port, String pin, String token) {
    }

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
        return expectDrbd(node, client(node).get(AgentProtocol.SNAPSHOT, NodeSnapshot.class));
    }

    @Override
    public ConfigManifest manifest(NodeTarget node) throws NodeAccessException, ConfigRefusedException {
        AgentClient client = client(node);
        try {
            return client.get(AgentProtocol.CONFIG_MANIFEST, ConfigManifest.class);
        } catch (NodeAccessException.RequestRefused refused) {
            throw configRefusal(refused, null);
        }
    }

    @Override
    public ConfigFile readFile(NodeTarget node, String path) throws NodeAccessException, ConfigRefusedException {
        AgentClient client = client(node);
        try {
            return client.get(AgentProtocol.CONFIG_FILE + "?path=" + URLEncoder.encode(String.valueOf(path), StandardCharsets.UTF_8),
                    ConfigFile.class);
        } catch (NodeAccessException.RequestRefused refused) {
            throw configRefusal(refused, path);
        }
    }

    /** The agent's config problem back into the config store's own refusal; any other refusal stays what it was. */
    private static ConfigRefusedException configRefusal(NodeAccessException.RequestRefused refused, String path)
            throws NodeAccessException.RequestRefused {
        ConfigRefusal reason = ConfigProblems.refusal(refused.type()).orElseThrow(() -> refused);
        return new ConfigRefusedException(reason, path, refused.getMessage(), refused);
    }

    @Override
    public java.util.Optional<Watch> watch(NodeTarget node, Runnable onChange) throws NodeAccessException {
        if (node.credential() == null || node.pinnedFingerprint() == null) {
            return java.util.Optional.empty();
        }
        EventSubscription subscription = client(node).events(null, event -> onChange.run());
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

    private AgentClient client(NodeTarget node) throws NodeAccessException {
        if (node.credential() == null) {
            throw new NodeAccessException.AuthRefused("No agent token is stored for " + node.name() + ".", null);
        }
        Endpoint endpoint = new Endpoint(node.address(), node.agentPort(), node.pinnedFingerprint(), node.credential());
        AgentClient client = clients.get(endpoint);
        if (client == null) {
            clients.keySet().removeIf(old -> old.address().equals(endpoint.address()) && old.port() == endpoint.port());
            AgentClient fresh = new AgentClient(endpoint.address(), endpoint.port(), endpoint.pin(), endpoint.token(), settings);
            client = java.util.Objects.requireNonNullElse(clients.putIfAbsent(endpoint, fresh), fresh);
        }
        return client;
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
