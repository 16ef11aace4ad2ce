package io.tandem.pacemaker;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * What {@code crm_mon} says about a running cluster at one moment. Optional values are absent when the document
 * does not carry them (no DC elected, section excluded with {@code --exclude}, sanitised test output).
 *
 * @param stack          {@code corosync}, or {@code unknown} when not reported
 * @param failCounts     every resource with a non-zero fail count, per node (empty when node_history is not reported)
 * @param nodeAttributes node name to its transient attributes (e.g. {@code master-DRBD=10000}), in document order
 */
public record ClusterStatus(
        String stack,
        Optional<String> dcName,
        boolean quorum,
        Optional<String> pacemakerVersion,
        Optional<String> lastUpdate,
        Optional<String> lastChange,
        ClusterOptions options,
        List<ClusterNode> nodes,
        List<Resource> resources,
        Map<String, Map<String, String>> nodeAttributes,
        List<Failure> failures,
        List<Ban> bans,
        List<FenceEvent> fenceHistory,
        List<FailCount> failCounts) {

    /** LINBIT's resource agent for DRBD, run by Pacemaker as a promotable clone. */
    public static final String DRBD_AGENT = "ocf:linbit:drbd";

    public ClusterStatus {
        nodes = List.copyOf(nodes);
        resources = List.copyOf(resources);
        nodeAttributes = immutableInOrder(nodeAttributes);
        failures = List.copyOf(failures);
        bans = List.copyOf(bans);
        fenceHistory = List.copyOf(fenceHistory);
        failCounts = List.copyOf(failCounts);
    }

    /** Fencing devices configured in the cluster: primitives of class {@code stonith}. */
    public List<Resource.Primitive> fencingDevices() {
        return primitives().stream().filter(p -> p.agent() != null && p.agent().startsWith("stonith:")).toList();
    }

    public Optional<ClusterNode> node(String name) {
        return nodes.stream().filter(n -> n.name().equals(name)).findFirst();
    }

    /**
     * The resource with this id. Clone instances are reported as {@code rsc:0}, {@code rsc:1}; asking for
     * {@code rsc} finds the first of them when no resource is called exactly {@code rsc}.
     */
    public Optional<Resource> resource(String id) {
        Optional<Resource> exact = Resource.find(resources, id);
        return exact.isPresent() ? exact : allResources().filter(r -> baseId(r.id()).equals(id)).findFirst();
    }

    /** Every primitive instance in the cluster, depth first. */
    public List<Resource.Primitive> primitives() {
        List<Resource.Primitive> all = new ArrayList<>();
        resources.forEach(r -> all.addAll(r.primitives()));
        return List.copyOf(all);
    }

    /** Ids of every resource at any depth, clone instance suffixes removed: what {@code pcs} accepts as a name. */
    public Set<String> resourceIds() {
        Set<String> ids = new LinkedHashSet<>();
        allResources().forEach(r -> ids.add(baseId(r.id())));
        return ids;
    }

    /** Nodes where the resource (primitive, group, clone, bundle, or every instance of a cloned one) is active. */
    public Set<String> nodesRunning(String id) {
        Set<String> nodes = new LinkedHashSet<>();
        matching(id).forEach(r -> nodes.addAll(r.nodesRunningOn()));
        return nodes;
    }

    /** Nodes where the resource, or an instance of it, is Promoted (legacy: Master). */
    public Set<String> promotedNodes(String id) {
        Set<String> nodes = new LinkedHashSet<>();
        matching(id).forEach(r -> nodes.addAll(r.promotedOn()));
        return nodes;
    }

    /**
     * The resource Pacemaker runs a DRBD resource as: the resource of that name, or else the only {@code ocf:linbit:drbd}
     * primitive in a promotable clone. Setup names the primitive after DRBD's resource, but a cluster built by hand
     * often does not ({@code drbd-nfo} running {@code r0}); with two DRBD clones it cannot be told, and is empty.
     */
    public Optional<String> drbdPrimitive(String drbdResource) {
        if (drbdResource == null || drbdResource.isBlank()) {
            return Optional.empty();
        }
        if (resourceIds().contains(drbdResource)) {
            return Optional.of(drbdResource);
        }
        Set<String> ids = new LinkedHashSet<>();
        allResources().filter(r -> r instanceof Resource.Clone c && c.promotable())
                .flatMap(r -> r.primitives().stream())
                .filter(p -> DRBD_AGENT.equals(p.agent()))
                .forEach(p -> ids.add(baseId(p.id())));
        return ids.size() == 1 ? Optional.of(ids.iterator().next()) : Optional.empty();
    }

    public List<Resource.Primitive> failedPrimitives() {
        return primitives().stream().filter(Resource.Primitive::failed).toList();
    }

    public List<Ban> leftoverMoveBans() {
        return bans.stream().filter(Ban::isLeftoverMove).toList();
    }

    private Stream<Resource> matching(String id) {
        return allResources().filter(r -> r.id().equals(id) || baseId(r.id()).equals(id));
    }

    private Stream<Resource> allResources() {
        return resources.stream().flatMap(Resource::selfAndDescendants);
    }

    private static Map<String, Map<String, String>> immutableInOrder(Map<String, Map<String, String>> attributes) {
        Map<String, Map<String, String>> copy = new LinkedHashMap<>();
        attributes.forEach((node, values) -> copy.put(node, Collections.unmodifiableMap(new LinkedHashMap<>(values))));
        return Collections.unmodifiableMap(copy);
    }

    /** {@code mysql-group:2} is instance 2 of clone child {@code mysql-group}. */
    static String baseId(String id) {
        int colon = id.lastIndexOf(':');
        return colon > 0 && id.substring(colon + 1).chars().allMatch(Character::isDigit) && colon < id.length() - 1
                ? id.substring(0, colon) : id;
    }
}
