package io.tandem.fleet;

import java.util.List;

/**
 * What an admin says about one node. Null means "use the default" (or, for the credential on an
 * edit, "keep the stored one").
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
        String credential) {
}
