package io.tandem.node;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads libnftables JSON ({@code {"nftables": [{"metainfo": ...}, {"table": ...}, {"chain": ...},
 * {"rule": {"expr": [...]}}]}}) for our table, as nft 0.9.3 and later print it.
 */
final class NftJsonReader {

    static final int MAX_INPUT_CHARS = 4 * 1024 * 1024;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private NftJsonReader() {
    }

    static GateState read(String json) throws NodeAccessException.BadAnswer {
        if (json == null || json.isBlank() || json.length() > MAX_INPUT_CHARS) {
            throw bad("empty or oversized output");
        }
        JsonNode items;
        try {
            items = JSON.readTree(json).path("nftables");
        } catch (JacksonException e) {
            throw new NodeAccessException.BadAnswer("nft -j: not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (!items.isArray()) {
            throw bad("no \"nftables\" array");
        }
        String version = "";
        boolean table = false;
        boolean chainHooked = false;
        List<String> problems = new ArrayList<>();
        List<GateRule> rules = new ArrayList<>();
        for (JsonNode item : items.values()) {
            if (item.has("metainfo")) {
                version = item.path("metainfo").path("version").asString("");
            } else if (ours(item.path("table"), "name")) {
                table = true;
            } else if (ours(item.path("chain"), "table") && OutputGate.CHAIN.equals(text(item.path("chain"), "name"))) {
                chainHooked = chain(item.path("chain"), problems);
            } else if (ours(item.path("chain"), "table")) {
                problems.add("unexpected chain " + text(item.path("chain"), "name") + " in our table");
            } else if (ours(item.path("rule"), "table")) {
                JsonNode rule = item.path("rule");
                if (OutputGate.CHAIN.equals(text(rule, "chain"))) {
                    rules.add(rule(rule, rules, problems));
                }
            }
        }
        if (!table) {
            throw bad("the answer does not contain table " + OutputGate.FAMILY + " " + OutputGate.TABLE);
        }
        if (!chainHooked) {
            problems.add(0, "no output chain hooked as type filter hook output: the rules see no packet");
        }
        boolean blocked = chainHooked && rules.stream().anyMatch(GateRule::gateDrop);
        return new GateState(blocked ? GateStatus.BLOCKED : GateStatus.OPEN, chainHooked, rules, problems, version);
    }

    private static boolean ours(JsonNode object, String tableKey) {
        return object.isObject() && OutputGate.FAMILY.equals(text(object, "family"))
                && OutputGate.TABLE.equals(text(object, tableKey));
    }

    private static boolean chain(JsonNode chain, List<String> problems) {
        boolean hooked = "filter".equals(text(chain, "type")) && "output".equals(text(chain, "hook"));
        if (hooked && "drop".equals(text(chain, "policy"))) {
            problems.add("the output chain's policy is drop: all output of this node is blocked, not only NFO's");
        }
        if (hooked && chain.path("prio").asInt(0) != 0) {
            problems.add("the output chain has priority " + chain.path("prio").asString() + ", not 0");
        }
        return hooked;
    }

    private static GateRule rule(JsonNode rule, List<GateRule> earlier, List<String> problems) {
        long handle = rule.path("handle").asLong(0);
        String comment = text(rule, "comment");
        JsonNode expr = rule.path("expr");
        String family = null;
        String address = null;
        String transport = null;
        int port = 0;
        boolean drop = false;
        boolean counter = false;
        long packets = 0;
        long bytes = 0;
        boolean understood = expr.isArray();
        for (JsonNode statement : expr.values()) {
            if (statement.has("match")) {
                JsonNode match = statement.path("match");
                JsonNode payload = match.path("left").path("payload");
                String field = text(payload, "field");
                String protocol = text(payload, "protocol");
                if (!"==".equals(text(match, "op"))) {
                    understood = false;
                } else if ("daddr".equals(field) && ("ip".equals(protocol) || "ip6".equals(protocol))) {
                    family = protocol;
                    address = address(match.path("right"));
                } else if ("dport".equals(field) && ("udp".equals(protocol) || "tcp".equals(protocol))
                        && match.path("right").isIntegralNumber()) {
                    transport = protocol;
                    port = match.path("right").asInt();
                } else {
                    understood = false;
                }
            } else if (statement.has("counter")) {
                counter = true;
                packets = statement.path("counter").path("packets").asLong(0);
                bytes = statement.path("counter").path("bytes").asLong(0);
            } else if (statement.has("drop")) {
                drop = true;
            } else {
                understood = false;
            }
        }
        GateDestination destination = understood ? destination(family, address, transport, port) : null;
        GateRule parsed = new GateRule(handle, destination, drop, packets, bytes, comment);
        if (!parsed.ours()) {
            boolean beforeGate = earlier.stream().noneMatch(GateRule::gateDrop);
            problems.add("rule " + handle + " is not ours (no comment \"" + OutputGate.COMMENT + "\")"
                    + (beforeGate ? " and comes before the gate rules: it may let NFO's output through" : ""));
        } else if (destination == null || !drop) {
            problems.add("rule " + handle + " carries our comment but is not a destination drop rule");
        } else if (!counter) {
            problems.add("rule " + handle + " has no counter: dropped output cannot be measured");
        }
        return parsed;
    }

    private static String address(JsonNode right) {
        if (right.isString()) {
            return right.asString();
        }
        JsonNode prefix = right.path("prefix");
        if (prefix.path("addr").isString() && prefix.path("len").isIntegralNumber()) {
            return prefix.path("addr").asString() + "/" + prefix.path("len").asInt();
        }
        return null;
    }

    private static GateDestination destination(String family, String address, String transport, int port) {
        if (family == null || address == null || transport == null) {
            return null;
        }
        try {
            return new GateDestination(family, address,
                    GateDestination.Transport.valueOf(transport.toUpperCase(Locale.ROOT)), port);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String text(JsonNode object, String key) {
        JsonNode value = object.path(key);
        return value.isString() ? value.asString() : "";
    }

    private static NodeAccessException.BadAnswer bad(String message) {
        return new NodeAccessException.BadAnswer("nft -j list table: " + message, null);
    }
}
