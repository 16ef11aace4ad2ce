package io.tandem.fleet;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A cluster as shown to users and over the API: every setting, and never a credential.
 *
 * @param driftIgnore globs of configuration files allowed to differ between the nodes
 */
public record ClusterView(
        UUID id,
        String name,
        ClusterMode mode,
        String description,
        String nfoResource,
        String vipResource,
        String gateResource,
        String drbdResource,
        List<NodeView> nodes,
        List<String> driftIgnore,
        Instant createdAt,
        Instant updatedAt,
        long version) {

    public record NodeView(
            UUID id,
            String name,
            String address,
            AccessKind access,
            String sshUser,
            int sshPort,
            boolean sshSudo,
            int agentPort,
            String nfoHome,
            String serviceUnit,
            List<String> configIncludes,
            List<String> configExcludes,
            List<Integer> flowPorts,
            boolean hasCredential,
            String pinnedFingerprint) {

        static NodeView of(Node node) {
            return new NodeView(node.id(), node.name(), node.address(), node.access(), node.sshUser(), node.sshPort(),
                    node.sshSudo(), node.agentPort(), node.nfoHome(), node.serviceUnit(), node.configIncludes(), node.configExcludes(),
                    node.flowPorts(), node.hasCredential(), node.pinnedFingerprint());
        }

        /** Where Tandem connects: the agent's HTTPS port or the SSH port. */
        public String endpoint() {
            String host = address.contains(":") ? "[" + address + "]" : address;
            return access == AccessKind.AGENT ? host + ":" + agentPort : sshUser + "@" + host + ":" + sshPort;
        }
    }

    static ClusterView of(Cluster cluster) {
        return new ClusterView(cluster.id(), cluster.name(), cluster.mode(), cluster.description(),
                cluster.nfoResource(), cluster.vipResource(), cluster.gateResource(), cluster.drbdResource(),
                cluster.nodes().stream().map(NodeView::of).toList(), cluster.driftIgnore(), cluster.createdAt(), cluster.updatedAt(),
                cluster.version());
    }
}
