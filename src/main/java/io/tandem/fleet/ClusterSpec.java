package io.tandem.fleet;

import java.util.List;

/** What an admin says about a cluster; validated by {@link FleetRules} before anything is stored. */
public record ClusterSpec(
        String name,
        ClusterMode mode,
        String description,
        String nfoResource,
        String vipResource,
        String gateResource,
        String drbdResource,
        List<NodeSpec> nodes) {
}
