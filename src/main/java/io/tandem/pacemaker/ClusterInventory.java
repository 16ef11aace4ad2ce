package io.tandem.pacemaker;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The resource ids and node names a cluster actually has: the allow-list a {@link ClusterCommand} is checked
 * against, so a command can only name things Pacemaker already knows.
 */
public record ClusterInventory(Set<String> resourceIds, Set<String> nodeNames) {

    public ClusterInventory {
        resourceIds = Set.copyOf(resourceIds);
        nodeNames = Set.copyOf(nodeNames);
    }

    public static ClusterInventory of(ClusterStatus status) {
        Set<String> nodes = new LinkedHashSet<>();
        status.nodes().forEach(n -> nodes.add(n.name()));
        return new ClusterInventory(status.resourceIds(), nodes);
    }

    public static ClusterInventory of(Cib cib) {
        return new ClusterInventory(cib.resourceIds(), Set.copyOf(cib.nodeNames()));
    }

    /** Both views together: crm_mon may omit inactive resources that the CIB still configures, and vice versa. */
    public ClusterInventory and(ClusterInventory other) {
        Set<String> resources = new LinkedHashSet<>(resourceIds);
        resources.addAll(other.resourceIds);
        Set<String> nodes = new LinkedHashSet<>(nodeNames);
        nodes.addAll(other.nodeNames);
        return new ClusterInventory(resources, nodes);
    }
}
