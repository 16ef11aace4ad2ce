package io.tandem.fleet;

import java.util.List;

/**
 * What an admin says about one node. Null means "use the default" (or, for the credential on an
 * edit, "keep the stored one").
 *
 * @param sshSudo run the node's tools as {@code sudo -n} over SSH (the SSH user is not root); default false
 */
public record NodeSpec(
        String name,
        String address,
        AccessKind access,
        String sshUser,
        Integer sshPort,
        Integer agentPort,
        String nfoHome,
        String serviceUnit,
        List<String> configIncludes,
        List<String> configExcludes,
        List<Integer> flowPorts,
        String credential,
        Boolean sshSudo) {

    /** A node without the SSH sudo setting (the agent decides sudo in its own configuration). */
    public NodeSpec(String name, String address, AccessKind access, String sshUser, Integer sshPort, Integer agentPort,
            String nfoHome, String serviceUnit, List<String> configIncludes, List<String> configExcludes,
            List<Integer> flowPorts, String credential) {
        this(name, address, access, sshUser, sshPort, agentPort, nfoHome, serviceUnit, configIncludes, configExcludes,
                flowPorts, credential, null);
    }
}
