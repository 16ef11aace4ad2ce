package io.tandem.fleet;

import java.util.HashSet;
import java.util.Map;
import java.util.UUID;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import io.tandem.access.NodeDirectory;
import io.tandem.access.NodeTarget;
import io.tandem.access.SecretCipher;
import io.tandem.audit.AuditLog;
import io.tandem.audit.Outcome;
import io.tandem.console.Rejected;

/** The fleet's side of the node gateway: short lookups and the pin write, each its own transaction. */
@Service
class FleetNodeDirectory implements NodeDirectory {

    private final Clusters clusters;
    private final SecretCipher cipher;
    private final AuditLog audit;
    private final FleetService fleet;

    FleetNodeDirectory(Clusters clusters, SecretCipher cipher, AuditLog audit, FleetService fleet) {
        this.clusters = clusters;
        this.cipher = cipher;
        this.audit = audit;
        this.fleet = fleet;
    }

    @Override
    @Transactional(readOnly = true)
    public NodeTarget target(UUID clusterId, UUID nodeId) {
        Cluster cluster = cluster(clusterId);
        return target(cluster, node(cluster, nodeId));
    }

    /** From the fleet as last read for the pages and the API (see {@link FleetService#list()}): no lookup of its own. */
    @Override
    public java.util.Optional<NodeTarget> lastRead(UUID clusterId, UUID nodeId) {
        return fleet.node(nodeId).filter(node -> node.clusterId().equals(clusterId)).map(node -> node.open(cipher));
    }

    @Override
    @Transactional
    public void pin(UUID clusterId, UUID nodeId, NodeTarget reached, String fingerprint) {
        Cluster cluster = cluster(clusterId);
        Node node = node(cluster, nodeId);
        NodeTarget now = target(cluster, node);
        if (!now.address().equals(reached.address()) || now.transport() != reached.transport() || now.port() != reached.port()) {
            throw Rejected.conflict("endpoint-changed", null, node.name() + " was edited while its key was read (now "
                    + now.transport() + " " + now.address() + ":" + now.port() + "). Test the connection again before pinning.");
        }
        String before = node.pinnedFingerprint();
        node.pin(fingerprint);
        fleet.changed(); // the views carry the pinned fingerprint
        audit.record("NODE_KEY_PIN", node.name(), Outcome.SUCCESS,
                Map.of("cluster", clusterId.toString(), "before", String.valueOf(before), "after", fingerprint));
    }

    @Override
    @Transactional(readOnly = true)
    public NodeTarget sshTarget(UUID clusterId, UUID nodeId) {
        Cluster cluster = cluster(clusterId);
        Node node = node(cluster, nodeId);
        if (node.access() == AccessKind.SSH) {
            return target(cluster, node);
        }
        if (!node.hasKeptSsh()) {
            throw Rejected.conflict("no-ssh-access", null, node.name() + " is reached through an agent that Tandem did not "
                    + "install, so no SSH access is stored for it: register it over SSH first.");
        }
        return target(cluster, node, NodeTarget.Transport.SSH, node.sealedKeptSshCredential(), node.keptSshFingerprint());
    }

    @Override
    @Transactional
    public void switchToAgent(UUID clusterId, UUID nodeId, String token, String certificateFingerprint) {
        Cluster cluster = cluster(clusterId);
        Node node = node(cluster, nodeId);
        node.switchToAgent(cipher.encrypt(token, FleetService.owner(node)), certificateFingerprint);
        switched(clusterId, node, "SSH", "AGENT", certificateFingerprint);
    }

    @Override
    @Transactional
    public void switchToSsh(UUID clusterId, UUID nodeId) {
        Cluster cluster = cluster(clusterId);
        Node node = node(cluster, nodeId);
        if (node.access() == AccessKind.SSH) {
            return;
        }
        node.switchToSsh();
        switched(clusterId, node, "AGENT", "SSH", node.pinnedFingerprint());
    }

    private void switched(UUID clusterId, Node node, String from, String to, String pin) {
        clusters.flush(); // a concurrent edit of the pair fails here (@Version), not after the audit row
        fleet.changed();
        audit.record("NODE_ACCESS_SWITCH", node.name(), Outcome.SUCCESS,
                Map.of("cluster", clusterId.toString(), "from", from, "to", to, "pinned", String.valueOf(pin)));
    }

    private NodeTarget target(Cluster cluster, Node node) {
        return SealedNode.of(cluster, node).open(cipher);
    }

    private NodeTarget target(Cluster cluster, Node node, NodeTarget.Transport transport, byte[] sealed, String pin) {
        return target(cluster, node, transport, sealed == null ? null : cipher.decrypt(sealed, FleetService.owner(node)), pin);
    }

    /** The node reached by its own access kind, with {@code credential} (decrypted, or null). */
    static NodeTarget target(Cluster cluster, Node node, String credential) {
        return target(cluster, node, node.access() == AccessKind.AGENT ? NodeTarget.Transport.AGENT : NodeTarget.Transport.SSH,
                credential, node.pinnedFingerprint());
    }

    private static NodeTarget target(Cluster cluster, Node node, NodeTarget.Transport transport, String credential, String pin) {
        return new NodeTarget(node.id(), node.name(), node.address(), transport,
                node.sshUser(), node.sshPort(), node.agentPort(), credential, pin, node.sshSudo(),
                node.nfoHome(), node.serviceUnit(), node.configIncludes(), node.configExcludes(),
                new HashSet<>(node.flowPorts()), cluster.mode() == ClusterMode.COLD);
    }

    private Cluster cluster(UUID clusterId) {
        return clusters.findById(clusterId).orElseThrow(() -> Rejected.notFound("Cluster", clusterId));
    }

    private static Node node(Cluster cluster, UUID nodeId) {
        return cluster.nodes().stream().filter(n -> n.id().equals(nodeId)).findFirst()
                .orElseThrow(() -> Rejected.notFound("Node", nodeId));
    }
}
