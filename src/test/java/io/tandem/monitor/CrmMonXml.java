package io.tandem.monitor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes compact {@code crm_mon --one-shot --output-as=xml} documents in Pacemaker 2.1's {@code <pacemaker-result>}
 * shape, for an NFO pair: resources {@code nfo} (cloned in Hot mode), {@code nfo-vip}, {@code nfo-gate} and, in Cold
 * mode, the promotable {@code drbd-clone} of {@code nfo-config}.
 */
final class CrmMonXml {

    private final Map<String, String> nodes = new LinkedHashMap<>();
    private final List<String> resources = new ArrayList<>();
    private final List<String> failures = new ArrayList<>();
    private final List<String> bans = new ArrayList<>();
    private boolean quorum = true;
    private String noQuorumPolicy = "stop";
    private boolean maintenanceMode;
    /** A two-node cluster must be fenced; tests of that rule switch it off. */
    private boolean fencing = true;

    static CrmMonXml nodes(String... names) {
        CrmMonXml x = new CrmMonXml();
        for (String name : names) {
            x.node(name, "online=\"true\" standby=\"false\" maintenance=\"false\" unclean=\"false\"");
        }
        return x;
    }

    /** Hot: the NFO clone started on {@code nfoOn}, VIP and gate on {@code active} (or nowhere when null). */
    static CrmMonXml hot(String active, String... nfoOn) {
        CrmMonXml x = nodes("nfo-a", "nfo-b");
        StringBuilder clone = new StringBuilder(
                "<clone id=\"nfo-clone\" multi_state=\"false\" unique=\"false\" managed=\"true\" disabled=\"false\" failed=\"false\">");
        for (String node : nfoOn) {
            clone.append(primitive("nfo", "systemd:nfo", "Started", node));
        }
        x.resources.add(clone.append("</clone>").toString());
        x.resources.add(primitive("nfo-vip", "ocf:heartbeat:IPaddr2", active == null ? "Stopped" : "Started", active));
        x.resources.add(primitive("nfo-gate", "ocf:tandem:output-gate", active == null ? "Stopped" : "Started", active));
        return x;
    }

    /** Cold: DRBD Promoted on {@code active}, Unpromoted on the other; NFO, VIP and gate on {@code active}. */
    static CrmMonXml cold(String active) {
        CrmMonXml x = nodes("nfo-a", "nfo-b");
        String other = "nfo-a".equals(active) ? "nfo-b" : "nfo-a";
        x.resources.add("<clone id=\"drbd-clone\" multi_state=\"true\" unique=\"false\" managed=\"true\" disabled=\"false\" failed=\"false\">"
                + primitive("nfo-config", "ocf:linbit:drbd", "Promoted", active)
                + primitive("nfo-config", "ocf:linbit:drbd", "Unpromoted", other) + "</clone>");
        x.resources.add(primitive("nfo-fs", "ocf:heartbeat:Filesystem", "Started", active));
        x.resources.add(primitive("nfo-vip", "ocf:heartbeat:IPaddr2", "Started", active));
        x.resources.add(primitive("nfo", "systemd:nfo", "Started", active));
        x.resources.add(primitive("nfo-gate", "ocf:tandem:output-gate", "Started", active));
        return x;
    }

    /** The resource {@code from} under another id, as a cluster built by hand names it. */
    CrmMonXml renamed(String from, String to) {
        resources.replaceAll(r -> r.replace("id=\"" + from + "\"", "id=\"" + to + "\""));
        return this;
    }

    CrmMonXml node(String name, String attributes) {
        nodes.put(name, attributes);
        return this;
    }

    CrmMonXml offline(String name) {
        return node(name, "online=\"false\" standby=\"false\" maintenance=\"false\" unclean=\"true\"");
    }

    CrmMonXml standby(String name) {
        return node(name, "online=\"true\" standby=\"true\" maintenance=\"false\" unclean=\"false\"");
    }

    CrmMonXml withoutQuorum(String policy) {
        quorum = false;
        noQuorumPolicy = policy;
        return this;
    }

    CrmMonXml withoutFencing() {
        fencing = false;
        return this;
    }

    CrmMonXml maintenanceMode() {
        maintenanceMode = true;
        return this;
    }

    CrmMonXml failure(String opKey, String node, String exitStatus, int exitCode) {
        failures.add("<failure op_key=\"" + opKey + "\" node=\"" + node + "\" exitstatus=\"" + exitStatus
                + "\" exitreason=\"\" exitcode=\"" + exitCode + "\" call=\"42\" status=\"complete\""
                + " last-rc-change=\"Mon Mar  3 09:58:12 2025\" queued=\"0\" exec=\"0\" interval=\"10000\" task=\"monitor\"/>");
        return this;
    }

    CrmMonXml ban(String id, String resource, String node) {
        bans.add("<ban id=\"" + id + "\" resource=\"" + resource + "\" node=\"" + node
                + "\" weight=\"-1000000\" promoted-only=\"false\" master_only=\"false\"/>");
        return this;
    }

    String xml() {
        StringBuilder x = new StringBuilder("""
                <pacemaker-result api-version="2.25" request="crm_mon --one-shot --output-as=xml">
                  <summary>
                    <stack type="corosync"/>
                """);
        x.append("    <current_dc present=\"true\" version=\"2.1.5-a3f44794f94\" name=\"nfo-a\" id=\"1\" with_quorum=\"")
                .append(quorum).append("\" mixed_version=\"false\"/>\n");
        x.append("    <cluster_options stonith-enabled=\"").append(fencing).append("\" symmetric-cluster=\"true\" no-quorum-policy=\"")
                .append(noQuorumPolicy).append("\" maintenance-mode=\"").append(maintenanceMode)
                .append("\" stop-all-resources=\"false\"/>\n  </summary>\n  <nodes>\n");
        int id = 1;
        for (Map.Entry<String, String> node : nodes.entrySet()) {
            x.append("    <node name=\"").append(node.getKey()).append("\" id=\"").append(id++).append("\" ")
                    .append(node.getValue()).append(" pending=\"false\" shutdown=\"false\" expected_up=\"true\""
                            + " is_dc=\"false\" resources_running=\"2\" type=\"member\"/>\n");
        }
        x.append("  </nodes>\n  <resources>\n");
        resources.forEach(r -> x.append("    ").append(r).append('\n'));
        if (fencing) {
            x.append("    ").append(primitive("fence-nfo", "stonith:fence_ipmilan", "Started", nodes.keySet().iterator().next())).append('\n');
        }
        x.append("  </resources>\n  <failures>\n");
        failures.forEach(f -> x.append("    ").append(f).append('\n'));
        x.append("  </failures>\n  <bans>\n");
        bans.forEach(b -> x.append("    ").append(b).append('\n'));
        return x.append("  </bans>\n  <status code=\"0\" message=\"OK\"/>\n</pacemaker-result>\n").toString();
    }

    static String notRunning() {
        return """
                <pacemaker-result api-version="2.25" request="crm_mon --one-shot --output-as=xml">
                  <pacemakerd state="shutting_down" last_updated="2025-03-03 09:59:58"/>
                  <status code="0" message="OK"/>
                </pacemaker-result>
                """;
    }

    /** {@code cibadmin --query --scope constraints} with the constraints given, e.g. a leftover cli-prefer. */
    static String constraints(String... locations) {
        return "<constraints>\n  <rsc_colocation id=\"vip-with-nfo\" rsc=\"nfo-vip\" with-rsc=\"nfo-clone\" score=\"INFINITY\"/>\n"
                + String.join("\n", locations) + "\n</constraints>\n";
    }

    private static String primitive(String id, String agent, String role, String node) {
        String head = "<resource id=\"" + id + "\" resource_agent=\"" + agent + "\" role=\"" + role + "\" active=\""
                + (node != null) + "\" orphaned=\"false\" blocked=\"false\" managed=\"true\" failed=\"false\""
                + " failure_ignored=\"false\" nodes_running_on=\"" + (node == null ? 0 : 1) + "\"";
        return node == null ? head + "/>" : head + "><node name=\"" + node + "\" id=\"0\" cached=\"true\"/></resource>";
    }
}
