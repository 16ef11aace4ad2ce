package io.tandem.pacemaker;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * How a cluster's resources are tied to each other, from crm_mon's resource tree and the CIB's constraints: which
 * always run on the same node (mandatory colocations, groups), which run with an instance of a clone or with its
 * Promoted instance, and which start after which (orders, groups). Judged by effect, not by spelling: a group and a
 * chain of colocations and orders place and start alike.
 *
 * <p>A clone is never a link between two resources: two resources each colocated with a clone that runs everywhere
 * may run on different nodes. A primitive inside a clone stands for its clone ({@code nfo} is {@code nfo-clone}).
 * Only mandatory colocations count (score {@code INFINITY}); optional orders ({@code kind="Optional"}) and
 * serialisations do not. Resource sets are read as chains in document order.
 */
public final class ResourceRelations {

    /** A group's "all members started" point in the order graph: what an order whose first is the group waits for. */
    private static final String DONE = "\u0000done";

    private record Anchor(String member, String cloneId, boolean promotedOnly) {
    }

    private record Edge(String to, String firstAction) {
    }

    private final Map<String, String> parents = new HashMap<>();
    private final Map<String, Resource> byId = new LinkedHashMap<>();
    private final Map<String, String> unions = new HashMap<>();
    private final List<Anchor> anchors = new ArrayList<>();
    private final Map<String, List<Edge>> edges = new HashMap<>();

    private ResourceRelations() {
    }

    public static ResourceRelations of(List<Resource> resources, List<Constraint> constraints) {
        ResourceRelations r = new ResourceRelations();
        resources.forEach(top -> r.index(top, null));
        r.byId.values().forEach(r::link);
        constraints.forEach(r::constrain);
        return r;
    }

    /** The group this resource is a member of. */
    public Optional<String> group(String id) {
        String parent = parents.get(id);
        return parent != null && byId.get(parent) instanceof Resource.Group ? Optional.of(parent) : Optional.empty();
    }

    /** The outermost clone this resource is part of (itself when it is a clone). */
    public Optional<Resource.Clone> clone(String id) {
        Resource.Clone found = null;
        for (String at = id; at != null; at = parents.get(at)) {
            if (byId.get(at) instanceof Resource.Clone c) {
                found = c;
            }
        }
        return Optional.ofNullable(found);
    }

    /** Part of a bundle: container plumbing (its IP, its container), not a resource an operator placed. */
    public boolean inBundle(String id) {
        for (String at = parents.get(id); at != null; at = parents.get(at)) {
            if (byId.get(at) instanceof Resource.Bundle) {
                return true;
            }
        }
        return false;
    }

    /** Both always run on the same node: linked by mandatory colocations or a group, neither through a clone. */
    public boolean together(String a, String b) {
        String x = resolve(a);
        String y = resolve(b);
        return !isClone(x) && !isClone(y) && find(x).equals(find(y));
    }

    /**
     * The resource runs where an instance of the clone runs, or (with {@code promotedOnly}) where its Promoted instance
     * runs: it, or a resource it is {@link #together} with, is colocated with the clone in that role.
     */
    public boolean placedWith(String id, String clone, boolean promotedOnly) {
        String x = resolve(id);
        String c = resolve(clone);
        if (x.equals(c)) {
            return !promotedOnly;
        }
        return !isClone(x) && anchors.stream().anyMatch(a -> a.cloneId().equals(c) && (a.promotedOnly() || !promotedOnly)
                && find(a.member()).equals(find(x)));
    }

    /** {@code then} starts only after {@code first} has started, through orders and group sequence. */
    public boolean startsAfter(String then, String first) {
        String from = resolve(first);
        return reachable(List.of(byId.get(from) instanceof Resource.Group ? from + DONE : from), resolve(then));
    }

    /** {@code then} starts only after the promotable clone promoted an instance. */
    public boolean startsAfterPromote(String then, String promotable) {
        List<String> starts = edges.getOrDefault(resolve(promotable), List.of()).stream()
                .filter(e -> "promote".equals(e.firstAction())).map(Edge::to).toList();
        return reachable(starts, resolve(then));
    }

    private void index(Resource resource, String parent) {
        String id = ClusterStatus.baseId(resource.id());
        byId.putIfAbsent(id, resource);
        if (parent != null && !parent.equals(id)) {
            parents.putIfAbsent(id, parent);
        }
        if (resource instanceof Resource.Group g) {
            g.members().forEach(m -> index(m, id));
        } else if (resource instanceof Resource.Clone c) {
            c.instances().forEach(i -> index(i, id));
        } else if (resource instanceof Resource.Bundle b) {
            b.replicas().forEach(rep -> rep.primitives().forEach(p -> index(p, id)));
        }
    }

    /** A group's members run together and start in sequence, the last before the group counts as started. */
    private void link(Resource resource) {
        if (!(resource instanceof Resource.Group g) || isClone(resolve(g.id()))) {
            return;
        }
        String previous = g.id();
        for (Resource member : g.members()) {
            String id = ClusterStatus.baseId(member.id());
            union(g.id(), id);
            edge(previous, id, "start");
            previous = id;
        }
        edge(previous, g.id() + DONE, "start");
    }

    private void constrain(Constraint constraint) {
        // locations, tickets, optional orders and advisory colocations tie nothing together
        if (constraint instanceof Constraint.Colocation c && mandatory(c.score())) {
            if (c.resource() != null && c.withResource() != null) {
                colocate(c.resource(), c.resourceRole(), c.withResource(), c.withResourceRole());
            }
            List<String> set = c.setResources();
            for (int i = 1; i < set.size(); i++) {
                colocate(set.get(i - 1), null, set.get(i), null);
            }
        } else if (constraint instanceof Constraint.Order o && (o.kind() == null || o.kind().equalsIgnoreCase("Mandatory"))) {
            if (o.first() != null && o.then() != null) {
                order(o.first(), o.firstAction(), o.then());
            }
            List<String> set = o.setResources();
            for (int i = 1; i < set.size(); i++) {
                order(set.get(i - 1), null, set.get(i));
            }
        }
    }

    private void colocate(String rsc, String rscRole, String with, String withRole) {
        String a = resolve(rsc);
        String b = resolve(with);
        if (isClone(a) && isClone(b)) {
            return;
        }
        if (isClone(b)) {
            anchors.add(new Anchor(a, b, promoted(withRole)));
        } else if (isClone(a)) {
            anchors.add(new Anchor(b, a, promoted(rscRole)));
        } else {
            union(a, b);
        }
    }

    private void order(String first, String firstAction, String then) {
        String action = firstAction == null ? "start" : firstAction.toLowerCase(Locale.ROOT);
        if (!action.equals("start") && !action.equals("promote")) {
            return; // stop/demote orders say nothing about what a start waits for
        }
        String from = resolve(first);
        edge(byId.get(from) instanceof Resource.Group && action.equals("start") ? from + DONE : from, resolve(then), action);
    }

    private void edge(String from, String to, String action) {
        edges.computeIfAbsent(from, k -> new ArrayList<>()).add(new Edge(to, action));
    }

    private boolean reachable(List<String> starts, String target) {
        Set<String> seen = new HashSet<>();
        Deque<String> queue = new ArrayDeque<>(starts);
        while (!queue.isEmpty()) {
            String at = queue.poll();
            if (!seen.add(at)) {
                continue;
            }
            if (at.equals(target)) {
                return true;
            }
            edges.getOrDefault(at, List.of()).forEach(e -> queue.add(e.to()));
        }
        return false;
    }

    /** The resource a constraint naming {@code id} really places: a clone's child stands for the clone. */
    private String resolve(String id) {
        return clone(id).map(Resource.Clone::id).map(ClusterStatus::baseId).orElse(id);
    }

    private boolean isClone(String id) {
        return byId.get(id) instanceof Resource.Clone;
    }

    private String find(String id) {
        String root = id;
        while (unions.containsKey(root)) {
            root = unions.get(root);
        }
        return root;
    }

    private void union(String a, String b) {
        String x = find(a);
        String y = find(b);
        if (!x.equals(y)) {
            unions.put(x, y);
        }
    }

    private static boolean mandatory(String score) {
        return score != null && (score.equalsIgnoreCase("INFINITY") || score.equalsIgnoreCase("+INFINITY"));
    }

    private static boolean promoted(String role) {
        return role != null && (role.equalsIgnoreCase("Promoted") || role.equalsIgnoreCase("Master"));
    }
}
