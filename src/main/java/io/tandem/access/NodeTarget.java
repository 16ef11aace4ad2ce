package io.tandem.access;

import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * Everything an adapter needs to reach one node and read it: where, how, with which credential and
 * pinned key, and what to look at there (NFO unit, flow ports, config roots, whether DRBD is expected).
 * Built by the fleet from its registry; the credential is decrypted only for this purpose.
 */
public record NodeTarget(
        UUID nodeId,
        String name,
        String address,
        Transport transport,
        String sshUser,
        int sshPort,
        int agentPort,
        String credential,
        String pinnedFingerprint,
        boolean sudo,
        String nfoHome,
        String serviceUnit,
        List<String> configIncludes,
        List<String> configExcludes,
        Set<Integer> flowPorts,
        boolean expectDrbd) {

    public enum Transport { AGENT, SSH }

    public NodeTarget {
        Objects.requireNonNull(nodeId, "nodeId");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(transport, "transport");
        configIncludes = List.copyOf(configIncludes);
        configExcludes = List.copyOf(configExcludes);
        flowPorts = Set.copyOf(flowPorts);
    }

    /** The same node reached through an agent with this token and pinned certificate (before the fleet says so). */
    public NodeTarget asAgent(String token, String certificateFingerprint) {
        return new NodeTarget(nodeId, name, address, Transport.AGENT, sshUser, sshPort, agentPort, token,
                certificateFingerprint, sudo, nfoHome, serviceUnit, configIncludes, configExcludes, flowPorts, expectDrbd);
    }

    /** The same target with {@code credential} (a sealed one just opened). */
    public NodeTarget withCredential(String credential) {
        return new NodeTarget(nodeId, name, address, transport, sshUser, sshPort, agentPort, credential,
                pinnedFingerprint, sudo, nfoHome, serviceUnit, configIncludes, configExcludes, flowPorts, expectDrbd);
    }

    public int port() {
        return transport == Transport.AGENT ? agentPort : sshPort;
    }

    @Override
    public String toString() {
        return name + " (" + transport + " " + address + ":" + port() + ")"; // never the credential
    }
}
