package io.tandem.access;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.tandem.node.CommandResult;
import io.tandem.node.NodeAccessException;
import io.tandem.node.OutputGate;
import io.tandem.node.ToolRunner;

/**
 * An NFO node's tools as recorded outputs: what systemctl, nft, crm_mon and cibadmin print on a
 * passive Hot node (NFO running, output blocked, a leftover move constraint). Served as scripts on
 * a real node's PATH (SSH, agent) or directly (the fake), so every adapter reads the same truth.
 */
public final class RecordedNode {

    static final String SYSTEMCTL_SHOW = """
            ActiveState=active
            SubState=running
            MainPID=4242
            LoadState=loaded
            ActiveEnterTimestamp=Wed 2026-11-25 19:41:49 UTC
            ExecMainStatus=0
            UnitFileState=enabled
            """;

    static final String CRM_MON = """
            <pacemaker-result api-version="2.30" request="crm_mon --one-shot --output-as=xml">
              <summary><stack type="corosync"/><current_dc present="true" name="nfo-a" id="1" with_quorum="true"/>
                <nodes_configured number="2"/><resources_configured number="4" disabled="0" blocked="0"/></summary>
              <nodes>
                <node name="nfo-a" id="1" online="true" standby="false" standby_onfail="false" maintenance="false" pending="false" unclean="false" shutdown="false" expected_up="true" is_dc="true" resources_running="3" type="member"/>
                <node name="nfo-b" id="2" online="true" standby="false" standby_onfail="false" maintenance="false" pending="false" unclean="false" shutdown="false" expected_up="true" is_dc="false" resources_running="1" type="member"/>
              </nodes>
              <resources>
                <clone id="nfo-clone" multi_state="false" unique="false" managed="true" disabled="false" failed="false" failure_ignored="false">
                  <resource id="nfo" resource_agent="ocf:heartbeat:anything" role="Started" active="true" orphaned="false" blocked="false" managed="true" failed="false" failure_ignored="false" nodes_running_on="1"><node name="nfo-a" id="1" cached="true"/></resource>
                  <resource id="nfo" resource_agent="ocf:heartbeat:anything" role="Started" active="true" orphaned="false" blocked="false" managed="true" failed="false" failure_ignored="false" nodes_running_on="1"><node name="nfo-b" id="2" cached="true"/></resource>
                </clone>
                <resource id="nfo-vip" resource_agent="ocf:heartbeat:IPaddr2" role="Started" active="true" orphaned="false" blocked="false" managed="true" failed="false" failure_ignored="false" nodes_running_on="1"><node name="nfo-a" id="1" cached="true"/></resource>
                <resource id="nfo-gate" resource_agent="ocf:tandem:gate" role="Started" active="true" orphaned="false" blocked="false" managed="true" failed="false" failure_ignored="false" nodes_running_on="1"><node name="nfo-a" id="1" cached="true"/></resource>
              </resources>
              <status code="0" message="OK"/>
            </pacemaker-result>
            """;

    static final String CONSTRAINTS = """
            <constraints>
              <rsc_colocation id="vip-with-nfo" rsc="nfo-vip" with-rsc="nfo-clone" score="INFINITY"/>
              <rsc_location id="cli-prefer-nfo-vip" rsc="nfo-vip" role="Started" node="nfo-a" score="INFINITY"/>
            </constraints>
            """;

    private final String gateJson;

    public RecordedNode() {
        try {
            gateJson = new String(RecordedNode.class.getResourceAsStream("/io/tandem/node/nft/blocked.json").readAllBytes(),
                    StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Tool name to what it prints; drbdsetup and drbdadm are absent (a Hot node). */
    Map<String, String> outputs() {
        Map<String, String> out = new LinkedHashMap<>();
        out.put("systemctl", SYSTEMCTL_SHOW);
        out.put("nft", gateJson);
        out.put("crm_mon", CRM_MON);
        out.put("cibadmin", CONSTRAINTS);
        return out;
    }

    /** Installs the tools as scripts in {@code bin}, for a real shell to find on its PATH. */
    public void installScripts(Path bin) throws IOException {
        Files.createDirectories(bin);
        for (Map.Entry<String, String> tool : outputs().entrySet()) {
            Path data = bin.resolve(tool.getKey() + ".out");
            Files.writeString(data, tool.getValue());
            Path script = bin.resolve(tool.getKey());
            Files.writeString(script, "#!/bin/sh\nexec cat '" + data + "'\n");
            Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        // the mutating tools record the argument vector they received (NUL-separated), then succeed
        script(bin.resolve("systemctl"), "if [ \"$1\" = show ]; then exec cat '" + bin.resolve("systemctl.out") + "'; fi\n"
                + "printf '%s\\0' \"$@\" > '" + bin.resolve("systemctl.argv") + "'\n");
        script(bin.resolve("nft"), "if [ \"$1\" = -j ]; then exec cat '" + bin.resolve("nft.out") + "'; fi\n"
                + "printf '%s\\0' \"$@\" > '" + bin.resolve("nft.argv") + "'\n");
        script(bin.resolve("pcs"), "printf '%s\\0' \"$@\" > '" + bin.resolve("pcs.argv") + "'\necho done\n");
    }

    private static void script(Path file, String body) throws IOException {
        Files.writeString(file, "#!/bin/sh\n" + body);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    /** The arguments (without the program) the tool last received on a node set up by {@link #installScripts}, or empty. */
    public static List<String> lastCall(Path bin, String tool) throws IOException {
        Path argv = bin.resolve(tool + ".argv");
        if (!Files.exists(argv)) {
            return List.of();
        }
        String recorded = Files.readString(argv);
        return recorded.isEmpty() ? List.of() : List.of(recorded.substring(0, recorded.length() - 1).split("\0", -1));
    }

    /** The same tools answered in memory, for the fake adapter. */
    ToolRunner toolRunner(Map<String, List<String>> calls) {
        Map<String, String> outputs = outputs();
        return (List<String> argv, java.time.Duration timeout) -> {
            String tool = argv.get(0);
            boolean mutating = tool.equals("pcs") || (tool.equals("systemctl") && !argv.get(1).equals("show"))
                    || (tool.equals("nft") && !argv.equals(OutputGate.listCommand()));
            if (mutating) {
                calls.put(tool, List.copyOf(argv.subList(1, argv.size())));
                return new CommandResult(0, tool.equals("pcs") ? "done\n" : "", "", false);
            }
            if (tool.equals("cat")) {
                Path file = Path.of(argv.get(argv.size() - 1));
                try {
                    return Files.exists(file) ? new CommandResult(0, Files.readString(file), "", false)
                            : new CommandResult(1, "", "cat: " + file + ": No such file or directory", false);
                } catch (IOException e) {
                    throw new NodeAccessException.BadAnswer(e.getMessage(), e);
                }
            }
            String output = outputs.get(tool);
            if (output == null) {
                throw new NodeAccessException.ToolMissing(tool + ": command not found", null);
            }
            return new CommandResult(0, output, "", false);
        };
    }
}
