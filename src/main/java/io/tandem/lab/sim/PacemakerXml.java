package io.tandem.lab.sim;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

import io.tandem.node.GateAgent;

/**
 * Writes a {@link SimulatedPair} as Pacemaker 2.1.5 does, laid out as setup's recipe lays a pair out (the gate is
 * {@code ocf:tandem:gate}, colocated with and started after the VIP): {@code crm_mon --one-shot --output-as=xml}
 * ({@code <pacemaker-result>}) and {@code cibadmin --query [--scope constraints]}. Every name in the output comes
 * from a validated {@link PairSpec}, and is escaped anyway. Callers hold the pair's monitor.
 */
final class PacemakerXml {

    private static final DateTimeFormatter CRM_TIME = DateTimeFormatter.ofPattern("EEE MMM d HH:mm:ss yyyy",
            Locale.ROOT).withZone(ZoneOffset.UTC);

    private PacemakerXml() {
    }

    static String crmMon(SimulatedPair pair) {
        PairSpec spec = pair.spec();
        String dc = pair.onlineNodes().stream().findFirst().orElse(null);
        StringBuilder x = new StringBuilder();
        x.append("<pacemaker-result api-version=\"2.25\" request=\"crm_mon --one-shot --output-as=xml\">\n");
        x.append("  <summary>\n    <stack type=\"corosync\"/>\n");
        if (dc == null) {
            x.append("    <current_dc present=\"false\"/>\n");
        } else {
            x.append("    <current_dc present=\"true\" version=\"2.1.5-a3f44794f94\" name=\"").append(esc(dc))
                    .append("\" id=\"").append(pair.node(dc).id).append("\" with_quorum=\"true\" mixed_version=\"false\"/>\n");
        }
        x.append("    <last_update time=\"").append(CRM_TIME.format(pair.now())).append("\"/>\n");
        x.append("    <last_change time=\"").append(CRM_TIME.format(pair.now()))
                .append("\" user=\"hacluster\" client=\"crmd\" origin=\"").append(esc(dc == null ? "" : dc)).append("\"/>\n");
        x.append("    <nodes_configured number=\"2\"/>\n");
        x.append("    <resources_configured number=\"").append(spec.mode() == PairSpec.Mode.HOT ? 5 : 7)
                .append("\" disabled=\"0\" blocked=\"0\"/>\n");
        x.append("    <cluster_options stonith-enabled=\"true\" symmetric-cluster=\"true\" no-quorum-policy=\"ignore\""
                + " maintenance-mode=\"false\" stop-all-resources=\"false\" stonith-timeout-ms=\"60000\""
                + " priority-fencing-delay-ms=\"0\"/>\n  </summary>\n  <nodes>\n");
        for (SimulatedPair.SimNode n : pair.nodes()) {
            x.append("    <node name=\"").append(esc(n.name)).append("\" id=\"").append(n.id)
                    .append("\" online=\"").append(n.online).append("\" standby=\"").append(n.standby)
                    .append("\" standby_onfail=\"false\" maintenance=\"false\" pending=\"false\" unclean=\"false\""
                            + " health=\"green\" shutdown=\"false\" expected_up=\"").append(n.online)
                    .append("\" is_dc=\"").append(n.name.equals(dc)).append("\" resources_running=\"")
                    .append(resourcesRunning(pair, n)).append("\" type=\"member\"/>\n");
        }
        x.append("  </nodes>\n  <resources>\n");
        String active = pair.activeOrNull();
        if (spec.mode() == PairSpec.Mode.HOT) {
            x.append("    <clone id=\"").append(esc(spec.nfoClone())).append("\" multi_state=\"false\" unique=\"false\""
                    + " maintenance=\"false\" managed=\"true\" disabled=\"false\" failed=\"false\" failure_ignored=\"false\">\n");
            for (SimulatedPair.SimNode n : pair.nodes()) {
                primitive(x, "      ", spec.nfo(), "systemd:" + unitName(spec), n.nfoPlaced ? "Started" : "Stopped",
                        n.nfoPlaced ? n : null);
            }
            x.append("    </clone>\n");
            primitive(x, "    ", spec.vip(), "ocf:heartbeat:IPaddr2", started(active), activeNode(pair));
            primitive(x, "    ", spec.gate(), GateAgent.PACEMAKER_AGENT, started(active), activeNode(pair));
        } else {
            x.append("    <clone id=\"").append(esc(spec.drbdClone())).append("\" multi_state=\"true\" unique=\"false\""
                    + " maintenance=\"false\" managed=\"true\" disabled=\"false\" failed=\"false\" failure_ignored=\"false\">\n");
            for (SimulatedPair.SimNode n : pair.nodes()) {
                String role = !n.online ? "Stopped" : n.name.equals(active) ? "Promoted" : "Unpromoted";
                primitive(x, "      ", spec.drbd(), "ocf:linbit:drbd", role, n.online ? n : null);
            }
            x.append("    </clone>\n");
            primitive(x, "    ", spec.filesystem(), "ocf:heartbeat:Filesystem", started(active), activeNode(pair));
            primitive(x, "    ", spec.vip(), "ocf:heartbeat:IPaddr2", started(active), activeNode(pair));
            primitive(x, "    ", spec.nfo(), "systemd:" + unitName(spec), started(active), activeNode(pair));
            primitive(x, "    ", spec.gate(), GateAgent.PACEMAKER_AGENT, started(active), activeNode(pair));
        }
        // the simulated cluster is fenced like a real two-node cluster must be (fence_dummy: Pacemaker's test agent)
        primitive(x, "    ", SimulatedPair.FENCE_DEVICE, "stonith:fence_dummy", started(active), activeNode(pair));
        x.append("  </resources>\n  <node_history>\n");
        for (SimulatedPair.SimNode n : pair.nodes()) {
            if (!n.online || n.failCounts.isEmpty()) {
                continue;
            }
            x.append("    <node name=\"").append(esc(n.name)).append("\">\n");
            n.failCounts.forEach((rsc, count) -> x.append("      <resource_history id=\"").append(esc(rsc))
                    .append("\" orphan=\"false\" migration-threshold=\"").append(spec.migrationThreshold())
                    .append("\" fail-count=\"").append(count).append("\"/>\n"));
            x.append("    </node>\n");
        }
        x.append("  </node_history>\n  <failures>\n");
        for (SimulatedPair.FailedOp f : pair.failures()) {
            x.append("    <failure op_key=\"").append(esc(f.opKey())).append("\" node=\"").append(esc(f.node()))
                    .append("\" exitstatus=\"").append(esc(f.exitStatus())).append("\" exitreason=\"\" exitcode=\"")
                    .append(f.exitCode()).append("\" call=\"").append(f.call())
                    .append("\" status=\"complete\" last-rc-change=\"").append(CRM_TIME.format(f.when()))
                    .append("\" queued=\"0\" exec=\"0\" interval=\"").append(f.task().equals("monitor") ? 10000 : 0)
                    .append("\" task=\"").append(esc(f.task())).append("\"/>\n");
        }
        x.append("  </failures>\n  <bans>\n");
        for (SimulatedPair.Location l : pair.locations()) {
            if (l.score().startsWith("-")) {
                x.append("    <ban id=\"").append(esc(l.id())).append("\" resource=\"").append(esc(l.resource()))
                        .append("\" node=\"").append(esc(l.node()))
                        .append("\" weight=\"-1000000\" promoted-only=\"false\" master_only=\"false\"/>\n");
            }
        }
        x.append("  </bans>\n  <status code=\"0\" message=\"OK\"/>\n</pacemaker-result>\n");
        return x.toString();
    }

    static String constraints(SimulatedPair pair) {
        PairSpec spec = pair.spec();
        StringBuilder x = new StringBuilder("<constraints>\n");
        if (spec.mode() == PairSpec.Mode.HOT) {
            colocation(x, spec.vip(), spec.nfoClone(), null);
            colocation(x, spec.gate(), spec.vip(), null);
            order(x, spec.nfoClone(), spec.vip(), "start");
            order(x, spec.vip(), spec.gate(), "start");
        } else {
            colocation(x, spec.filesystem(), spec.drbdClone(), "Promoted");
            order(x, spec.drbdClone(), spec.filesystem(), "promote");
            colocation(x, spec.vip(), spec.filesystem(), null);
            colocation(x, spec.nfo(), spec.vip(), null);
            colocation(x, spec.gate(), spec.nfo(), null);
            order(x, spec.filesystem(), spec.nfo(), "start");
            order(x, spec.vip(), spec.gate(), "start");
        }
        for (SimulatedPair.Location l : pair.locations()) {
            x.append("  <rsc_location id=\"").append(esc(l.id())).append("\" rsc=\"").append(esc(l.resource()))
                    .append("\" role=\"Started\" node=\"").append(esc(l.node())).append("\" score=\"")
                    .append(esc(l.score())).append("\"/>\n");
        }
        return x.append("</constraints>\n").toString();
    }

    /** The whole CIB as {@code cibadmin --query} prints it, without the status section's operation history. */
    static String cib(SimulatedPair pair) {
        StringBuilder x = new StringBuilder();
        x.append("<cib crm_feature_set=\"3.16.2\" validate-with=\"pacemaker-3.9\" epoch=\"").append(pair.epoch())
                .append("\" num_updates=\"").append(pair.numUpdates()).append("\" admin_epoch=\"0\" cib-last-written=\"")
                .append(CRM_TIME.format(pair.now())).append("\" have-quorum=\"1\">\n");
        x.append(configuration(pair).indent(2));
        return x.append("  <status/>\n</cib>\n").toString();
    }

    /**
     * The configuration as {@code cibadmin --query --scope configuration} prints it. Its resource defaults are setup's
     * recipe's (stickiness 100), so the simulated pair never fails back on its own, as a pair set up by Tandem does not.
     */
    static String configuration(SimulatedPair pair) {
        PairSpec spec = pair.spec();
        StringBuilder x = new StringBuilder("<configuration>\n");
        x.append("  <crm_config/>\n  <nodes>\n");
        for (SimulatedPair.SimNode n : pair.nodes()) {
            x.append("    <node id=\"").append(n.id).append("\" uname=\"").append(esc(n.name)).append("\">");
            if (n.standby) {
                x.append("<instance_attributes id=\"nodes-").append(n.id).append("\"><nvpair id=\"nodes-").append(n.id)
                        .append("-standby\" name=\"standby\" value=\"on\"/></instance_attributes>");
            }
            x.append("</node>\n");
        }
        x.append("  </nodes>\n  <resources>\n");
        if (spec.mode() == PairSpec.Mode.HOT) {
            x.append("    <clone id=\"").append(esc(spec.nfoClone())).append("\">");
            cibPrimitive(x, spec.nfo(), "systemd", null, unitName(spec));
            x.append("</clone>\n");
        } else {
            x.append("    <clone id=\"").append(esc(spec.drbdClone())).append("\"><meta_attributes id=\"")
                    .append(esc(spec.drbdClone())).append("-meta\"><nvpair id=\"").append(esc(spec.drbdClone()))
                    .append("-promotable\" name=\"promotable\" value=\"true\"/></meta_attributes>");
            cibPrimitive(x, spec.drbd(), "ocf", "linbit", "drbd");
            x.append("</clone>\n    ");
            cibPrimitive(x, spec.filesystem(), "ocf", "heartbeat", "Filesystem");
            x.append("\n    ");
            cibPrimitive(x, spec.nfo(), "systemd", null, unitName(spec));
            x.append("\n");
        }
        x.append("    ");
        cibPrimitive(x, spec.vip(), "ocf", "heartbeat", "IPaddr2");
        x.append("\n    ");
        cibPrimitive(x, spec.gate(), "ocf", "tandem", "gate");
        x.append("\n  </resources>\n");
        x.append(constraints(pair).indent(2));
        x.append("  <rsc_defaults>\n    <meta_attributes id=\"rsc_defaults-meta_attributes\"><nvpair id=\"rsc_defaults-meta_attributes-"
                + "resource-stickiness\" name=\"resource-stickiness\" value=\"100\"/></meta_attributes>\n  </rsc_defaults>\n");
        return x.append("</configuration>\n").toString();
    }

    private static void cibPrimitive(StringBuilder x, String id, String cls, String provider, String type) {
        x.append("<primitive id=\"").append(esc(id)).append("\" class=\"").append(cls).append('"');
        if (provider != null) {
            x.append(" provider=\"").append(provider).append('"');
        }
        x.append(" type=\"").append(esc(type)).append("\"/>");
    }

    private static void primitive(StringBuilder x, String indent, String id, String agent, String role,
                                  SimulatedPair.SimNode on) {
        boolean active = on != null;
        x.append(indent).append("<resource id=\"").append(esc(id)).append("\" resource_agent=\"").append(esc(agent))
                .append("\" role=\"").append(role).append("\" active=\"").append(active)
                .append("\" orphaned=\"false\" blocked=\"false\" maintenance=\"false\" managed=\"true\" failed=\"false\""
                        + " failure_ignored=\"false\" nodes_running_on=\"").append(active ? 1 : 0).append('"');
        if (!active) {
            x.append("/>\n");
            return;
        }
        x.append(">\n").append(indent).append("  <node name=\"").append(esc(on.name)).append("\" id=\"").append(on.id)
                .append("\" cached=\"true\"/>\n").append(indent).append("</resource>\n");
    }

    private static SimulatedPair.SimNode activeNode(SimulatedPair pair) {
        return pair.activeOrNull() == null ? null : pair.node(pair.activeOrNull());
    }

    private static String started(String active) {
        return active == null ? "Stopped" : "Started";
    }

    private static int resourcesRunning(SimulatedPair pair, SimulatedPair.SimNode n) {
        if (!n.online) {
            return 0;
        }
        boolean isActive = n.name.equals(pair.activeOrNull());
        return pair.spec().mode() == PairSpec.Mode.HOT ? (n.nfoPlaced ? 1 : 0) + (isActive ? 2 : 0)
                : 1 + (isActive ? 4 : 0);
    }

    /** systemd resources name the unit without its {@code .service} suffix. */
    private static String unitName(PairSpec spec) {
        return spec.unit().endsWith(".service") ? spec.unit().substring(0, spec.unit().length() - 8) : spec.unit();
    }

    private static void colocation(StringBuilder x, String rsc, String with, String withRole) {
        x.append("  <rsc_colocation id=\"colocation-").append(esc(rsc)).append('-').append(esc(with))
                .append("-INFINITY\" rsc=\"").append(esc(rsc)).append("\" with-rsc=\"").append(esc(with))
                .append("\" score=\"INFINITY\"");
        if (withRole != null) {
            x.append(" with-rsc-role=\"").append(withRole).append('"');
        }
        x.append("/>\n");
    }

    private static void order(StringBuilder x, String first, String then, String firstAction) {
        x.append("  <rsc_order id=\"order-").append(esc(first)).append('-').append(esc(then))
                .append("-mandatory\" first=\"").append(esc(first)).append("\" first-action=\"").append(firstAction)
                .append("\" then=\"").append(esc(then)).append("\" then-action=\"start\"/>\n");
    }

    static String esc(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    static String time(Instant instant) {
        return CRM_TIME.format(instant);
    }
}
