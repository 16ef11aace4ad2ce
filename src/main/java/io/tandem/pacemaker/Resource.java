package io.tandem.pacemaker;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A node of the resource tree {@code crm_mon} reports: a primitive, a group of primitives, a clone (of a primitive
 * or a group; promotable when {@code multi_state="true"}) or a bundle of replicas. Every kind can list its
 * primitives, so "where is X running" has one answer whatever X is.
 */
public sealed interface Resource permits Resource.Primitive, Resource.Group, Resource.Clone, Resource.Bundle {

    String id();

    /** This resource's primitives (itself, for a primitive), depth first, one entry per clone instance. */
    List<Primitive> primitives();

    /** This resource and every resource below it, depth first. */
    default Stream<Resource> selfAndDescendants() {
        return Stream.of(this);
    }

    /** Nodes where any of this resource's primitives is active, in document order without repeats. */
    default Set<String> nodesRunningOn() {
        Set<String> nodes = new LinkedHashSet<>();
        primitives().stream().filter(Primitive::active).forEach(p -> nodes.addAll(p.nodes()));
        return nodes;
    }

    /** Nodes where one of this resource's primitives holds the Promoted (legacy: Master) role. */
    default Set<String> promotedOn() {
        Set<String> nodes = new LinkedHashSet<>();
        primitives().stream().filter(p -> p.role() == Role.PROMOTED).forEach(p -> nodes.addAll(p.nodes()));
        return nodes;
    }

    default boolean failed() {
        return primitives().stream().anyMatch(Primitive::failed);
    }

    /**
     * A primitive resource or one instance of it inside a clone or bundle. {@code agent} is normalised to
     * {@code class:provider:type} (legacy XML writes {@code ocf::heartbeat:IPaddr2}). {@code nodes} lists where
     * it is active; legacy group-by-node output gives the node the primitive is listed under.
     */
    record Primitive(
            String id,
            String agent,
            Role role,
            Role targetRole,
            boolean active,
            boolean orphaned,
            boolean blocked,
            boolean managed,
            boolean failed,
            boolean failureIgnored,
            List<String> nodes) implements Resource {

        public Primitive {
            nodes = List.copyOf(nodes);
        }

        @Override
        public List<Primitive> primitives() {
            return List.of(this);
        }
    }

    record Group(String id, boolean managed, boolean disabled, List<Resource> members) implements Resource {

        public Group {
            members = List.copyOf(members);
        }

        @Override
        public List<Primitive> primitives() {
            return flatten(members);
        }

        @Override
        public Stream<Resource> selfAndDescendants() {
            return Stream.concat(Stream.of(this), members.stream().flatMap(Resource::selfAndDescendants));
        }
    }

    /** A clone; {@code instances} are primitives or groups, one per instance, including stopped ones. */
    record Clone(String id, boolean promotable, boolean unique, boolean managed, boolean disabled, boolean failed,
                 List<Resource> instances) implements Resource {

        public Clone {
            instances = List.copyOf(instances);
        }

        @Override
        public List<Primitive> primitives() {
            return flatten(instances);
        }

        @Override
        public Stream<Resource> selfAndDescendants() {
            return Stream.concat(Stream.of(this), instances.stream().flatMap(Resource::selfAndDescendants));
        }
    }

    record Bundle(String id, String type, String image, boolean managed, boolean failed, List<Replica> replicas)
            implements Resource {

        public Bundle {
            replicas = List.copyOf(replicas);
        }

        @Override
        public List<Primitive> primitives() {
            List<Primitive> all = new ArrayList<>();
            replicas.forEach(r -> all.addAll(r.primitives()));
            return List.copyOf(all);
        }

        @Override
        public Stream<Resource> selfAndDescendants() {
            return Stream.concat(Stream.of(this), primitives().stream());
        }
    }

    /** One replica of a bundle: its IP, container, remote connection and contained primitive. */
    record Replica(String id, List<Primitive> primitives) {

        public Replica {
            primitives = List.copyOf(primitives);
        }
    }

    /** The first resource in a forest with this id, whatever its depth. */
    static Optional<Resource> find(List<Resource> forest, String id) {
        return forest.stream().flatMap(Resource::selfAndDescendants).filter(r -> r.id().equals(id)).findFirst();
    }

    private static List<Primitive> flatten(List<Resource> resources) {
        List<Primitive> all = new ArrayList<>();
        resources.forEach(r -> all.addAll(r.primitives()));
        return List.copyOf(all);
    }
}
