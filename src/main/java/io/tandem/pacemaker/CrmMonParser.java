package io.tandem.pacemaker;

import static io.tandem.pacemaker.SafeXml.attr;
import static io.tandem.pacemaker.SafeXml.child;
import static io.tandem.pacemaker.SafeXml.children;
import static io.tandem.pacemaker.SafeXml.emptyToNull;
import static io.tandem.pacemaker.SafeXml.firstAttr;
import static io.tandem.pacemaker.SafeXml.flag;
import static io.tandem.pacemaker.SafeXml.integer;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.w3c.dom.Element;

/**
 * Reads {@code crm_mon} XML of every generation Tandem meets: {@code crm_mon --output-as=xml} (root
 * {@code <pacemaker-result>}, Pacemaker 2.0.3 and later, including the 2.0/2.1 API shapes), and legacy
 * {@code crm_mon --as-xml} / {@code -X} (root {@code <crm_mon version=...>}, also in its group-by-node layout where
 * resources sit inside nodes). Unknown elements and attributes are ignored so newer Pacemaker releases keep working.
 */
public final class CrmMonParser {

    /** Real resource trees are at most clone > group > primitive deep; a deeper one is hostile or broken. */
    private static final int MAX_RESOURCE_DEPTH = 8;

    private CrmMonParser() {
    }

    public static CrmMonResult parse(String xml) throws PacemakerParseException {
        Element root = SafeXml.parseRoot(xml, "crm_mon output");
        return switch (root.getTagName()) {
            case "pacemaker-result" -> fromApiResult(root);
            case "crm_mon" -> new CrmMonResult.Running(status(root), CrmMonResult.Format.LEGACY);
            case "crm-mon-disconnected" -> disconnected(root);
            default -> throw new PacemakerParseException(
                    "not crm_mon output: unexpected root element <" + root.getTagName() + ">");
        };
    }

    private static CrmMonResult fromApiResult(Element root) throws PacemakerParseException {
        Element disconnected = child(root, "crm-mon-disconnected");
        if (disconnected != null) {
            return disconnected(disconnected);
        }
        Element status = child(root, "status");
        int code = integer(status, "code", 0);
        if (code != 0) {
            List<String> errors = children(child(status, "errors"), "error").stream()
                    .map(e -> e.getTextContent().trim()).toList();
            return new CrmMonResult.ToolError(code, attr(status, "message", ""), errors);
        }
        if (child(root, "summary") == null && child(root, "nodes") == null && child(root, "resources") == null) {
            Element pacemakerd = child(root, "pacemakerd");
            if (pacemakerd != null) {
                // Pacemaker 2.1+ reports only pacemakerd's state while the daemons start or shut down
                String state = attr(pacemakerd, "state", "unknown");
                return new CrmMonResult.NotRunning("pacemakerd is " + state, Optional.of(state));
            }
            throw new PacemakerParseException("pacemaker-result carries no cluster status (request: "
                    + attr(root, "request", "unknown") + ")");
        }
        return new CrmMonResult.Running(status(root), CrmMonResult.Format.CURRENT);
    }

    private static CrmMonResult disconnected(Element e) {
        return new CrmMonResult.NotRunning(attr(e, "description", "cluster is not running"),
                Optional.ofNullable(emptyToNull(attr(e, "pacemakerd-state"))));
    }

    private static ClusterStatus status(Element root) throws PacemakerParseException {
        Element summary = child(root, "summary");
        Element dc = child(summary, "current_dc");
        boolean dcPresent = flag(dc, "present");
        List<ClusterNode> nodes = nodes(child(root, "nodes"));
        return new ClusterStatus(
                attr(child(summary, "stack"), "type", "unknown"),
                Optional.ofNullable(dcPresent ? emptyToNull(attr(dc, "name")) : null),
                flag(dc, "with_quorum"),
                Optional.ofNullable(dcPresent ? emptyToNull(attr(dc, "version")) : null),
                Optional.ofNullable(emptyToNull(attr(child(summary, "last_update"), "time"))),
                Optional.ofNullable(emptyToNull(attr(child(summary, "last_change"), "time"))),
                options(child(summary, "cluster_options")),
                nodes,
                resources(root),
                nodeAttributes(child(root, "node_attributes")),
                failures(child(root, "failures")),
                bans(child(root, "bans")),
                fenceHistory(child(root, "fence_history")),
                failCounts(child(root, "node_history")));
    }

    private static ClusterOptions options(Element e) {
        if (e == null) {
            return ClusterOptions.DEFAULTS;
        }
        ClusterOptions d = ClusterOptions.DEFAULTS;
        String fencing = firstAttr(e, "fencing-enabled", "stonith-enabled");
        return new ClusterOptions(
                fencing == null ? d.stonithEnabled() : SafeXml.isTrue(fencing),
                flag(e, "maintenance-mode", d.maintenanceMode()),
                flag(e, "stop-all-resources", d.stopAllResources()),
                flag(e, "symmetric-cluster", d.symmetricCluster()),
                attr(e, "no-quorum-policy", d.noQuorumPolicy()));
    }

    private static List<ClusterNode> nodes(Element nodesElement) throws PacemakerParseException {
        List<ClusterNode> nodes = new ArrayList<>();
        for (Element n : children(nodesElement, "node")) {
            String name = required(n, "name", "node");
            nodes.add(new ClusterNode(name, attr(n, "id", name),
                    flag(n, "online"), flag(n, "standby"), flag(n, "standby_onfail"), flag(n, "maintenance"),
                    flag(n, "pending"), flag(n, "unclean"), flag(n, "shutdown"), flag(n, "expected_up"),
                    flag(n, "is_dc"), integer(n, "resources_running", 0), ClusterNode.Type.of(attr(n, "type"))));
        }
        return nodes;
    }

    /**
     * The top-level resource list, plus resources that legacy output lists only inside {@code <nodes>}: the
     * {@code --group-by-node} layout has no {@code <resources>} at all, and some real 2.0 captures list part of
     * the resources only there. A resource found only under a node counts as active on that node.
     */
    private static List<Resource> resources(Element root) throws PacemakerParseException {
        List<Resource> resources = new ArrayList<>();
        for (Element e : children(child(root, "resources"))) {
            addIfResource(resources, e, null, 0);
        }
        Set<String> known = new HashSet<>();
        resources.stream().flatMap(Resource::selfAndDescendants).forEach(r -> known.add(r.id()));
        for (Element node : children(child(root, "nodes"), "node")) {
            for (Element e : children(node)) {
                if (!known.contains(attr(e, "id", ""))) {
                    addIfResource(resources, e, attr(node, "name"), 0);
                }
            }
        }
        return resources;
    }

    private static void addIfResource(List<Resource> into, Element e, String listedUnder, int depth)
            throws PacemakerParseException {
        if (depth > MAX_RESOURCE_DEPTH) {
            throw new PacemakerParseException("resource tree nested deeper than " + MAX_RESOURCE_DEPTH + " levels");
        }
        switch (e.getTagName()) {
            case "resource" -> into.add(primitive(e, listedUnder));
            case "group" -> into.add(new Resource.Group(required(e, "id", "group"),
                    flag(e, "managed", true), flag(e, "disabled"), members(e, listedUnder, depth)));
            case "clone" -> into.add(new Resource.Clone(required(e, "id", "clone"),
                    flag(e, "multi_state"), flag(e, "unique"), flag(e, "managed", true), flag(e, "disabled"),
                    flag(e, "failed"), members(e, listedUnder, depth)));
            case "bundle" -> into.add(bundle(e, listedUnder));
            default -> {
                // <node> children of primitives, <xml> blobs and future elements carry nothing we model here
            }
        }
    }

    private static List<Resource> members(Element parent, String listedUnder, int depth)
            throws PacemakerParseException {
        List<Resource> members = new ArrayList<>();
        for (Element e : children(parent)) {
            addIfResource(members, e, listedUnder, depth + 1);
        }
        return members;
    }

    private static Resource.Bundle bundle(Element e, String listedUnder) throws PacemakerParseException {
        List<Resource.Replica> replicas = new ArrayList<>();
        for (Element replica : children(e, "replica")) {
            List<Resource.Primitive> primitives = new ArrayList<>();
            for (Element r : children(replica, "resource")) {
                primitives.add(primitive(r, listedUnder));
            }
            replicas.add(new Resource.Replica(attr(replica, "id", String.valueOf(replicas.size())), primitives));
        }
        return new Resource.Bundle(required(e, "id", "bundle"), attr(e, "type", ""), attr(e, "image", ""),
                flag(e, "managed", true), flag(e, "failed"), replicas);
    }

    private static Resource.Primitive primitive(Element e, String listedUnder) throws PacemakerParseException {
        boolean active = flag(e, "active");
        List<String> nodes = new ArrayList<>();
        for (Element n : children(e, "node")) {
            String name = emptyToNull(attr(n, "name"));
            if (name != null) {
                nodes.add(name);
            }
        }
        if (nodes.isEmpty() && active && listedUnder != null) {
            nodes.add(listedUnder);
        }
        return new Resource.Primitive(required(e, "id", "resource"), normaliseAgent(attr(e, "resource_agent", "")),
                Role.of(attr(e, "role")), Role.of(attr(e, "target_role")), active,
                flag(e, "orphaned") || flag(e, "removed"), flag(e, "blocked"), flag(e, "managed", true),
                flag(e, "failed"), flag(e, "failure_ignored"), nodes);
    }

    /** Before 2.1 crm_mon wrote agents without a provider as {@code ocf::heartbeat:IPaddr2}; pcs never does. */
    private static String normaliseAgent(String agent) {
        return agent.replace("::", ":");
    }

    private static Map<String, Map<String, String>> nodeAttributes(Element section) {
        Map<String, Map<String, String>> result = new LinkedHashMap<>();
        for (Element node : children(section, "node")) {
            Map<String, String> attributes = new LinkedHashMap<>();
            for (Element a : children(node, "attribute")) {
                String name = attr(a, "name");
                if (name != null) {
                    attributes.put(name, attr(a, "value", ""));
                }
            }
            String nodeName = attr(node, "name");
            if (nodeName != null) {
                result.put(nodeName, attributes);
            }
        }
        return result;
    }

    private static List<Failure> failures(Element section) {
        return children(section, "failure").stream().map(f -> new Failure(
                attr(f, "op_key", attr(f, "id", "")), attr(f, "node", ""), attr(f, "exitstatus", ""),
                attr(f, "exitreason", ""), integer(f, "exitcode", -1), integer(f, "call", -1),
                attr(f, "status", ""), emptyToNull(attr(f, "last-rc-change")))).toList();
    }

    private static List<FailCount> failCounts(Element section) {
        List<FailCount> counts = new ArrayList<>();
        for (Element node : children(section, "node")) {
            for (Element history : children(node, "resource_history")) {
                int count = number(attr(history, "fail-count"));
                if (count > 0) {
                    counts.add(new FailCount(attr(node, "name", "?"), attr(history, "id", "?"), count,
                            number(attr(history, "migration-threshold"))));
                }
            }
        }
        return counts;
    }

    /** Pacemaker's scores and counts: a number, or INFINITY; anything else counts as 0 (tolerant parser). */
    private static int number(String text) {
        if (text == null || text.isBlank()) {
            return 0;
        }
        String t = text.trim();
        if (t.equalsIgnoreCase("INFINITY") || t.equalsIgnoreCase("+INFINITY")) {
            return FailCount.INFINITY;
        }
        try {
            return (int) Math.min(FailCount.INFINITY, Math.max(0, Long.parseLong(t)));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static List<Ban> bans(Element section) {
        return children(section, "ban").stream().map(b -> new Ban(
                attr(b, "id", ""), attr(b, "resource", ""), attr(b, "node", ""), integer(b, "weight", 0),
                flag(b, "promoted-only") || flag(b, "master_only"))).toList();
    }

    private static List<FenceEvent> fenceHistory(Element section) {
        return children(section, "fence_event").stream().map(f -> new FenceEvent(
                attr(f, "target", ""), attr(f, "action", ""), firstAttr(f, "status", "state"),
                attr(f, "origin"), attr(f, "delegate"), attr(f, "client"), attr(f, "completed"),
                emptyToNull(attr(f, "exit-reason")))).toList();
    }

    private static String required(Element e, String attribute, String what) throws PacemakerParseException {
        String value = emptyToNull(attr(e, attribute));
        if (value == null) {
            throw new PacemakerParseException("<" + e.getTagName() + "> (" + what + ") without the " + attribute
                    + " attribute");
        }
        return value;
    }
}
