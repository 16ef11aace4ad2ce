package io.tandem.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.tandem.pacemaker.CrmMonResult;
import tools.jackson.databind.json.JsonMapper;

class SnapshotCollectorTest {

    private static final Instant NOW = Instant.parse("2026-11-25T20:00:00Z");
    private static final Map<String, String> PROC = Map.of(
            "/proc/sys/kernel/hostname", "nfo-a\n",
            "/proc/uptime", "99.00 100.00\n",
            "/proc/sys/kernel/osrelease", "6.1.0\n",
            "/proc/net/udp", ProcNetUdpTest.UDP,
            "/proc/net/snmp", ProcNetUdpTest.SNMP);

    static final String CRM_MON = """
            <pacemaker-result api-version="2.30" request="crm_mon --one-shot --output-as=xml">
              <summary><stack type="corosync"/><current_dc present="true" name="nfo-a" id="1" with_quorum="true"/>
                <nodes_configured number="2"/><resources_configured number="3" disabled="0" blocked="0"/></summary>
              <nodes>
                <node name="nfo-a" id="1" online="true" standby="false" standby_onfail="false" maintenance="false" pending="false" unclean="false" shutdown="false" expected_up="true" is_dc="true" resources_running="2" type="member"/>
                <node name="nfo-b" id="2" online="true" standby="false" standby_onfail="false" maintenance="false" pending="false" unclean="false" shutdown="false" expected_up="true" is_dc="false" resources_running="1" type="member"/>
              </nodes>
              <resources>
                <resource id="nfo-vip" resource_agent="ocf:heartbeat:IPaddr2" role="Started" active="true" orphaned="false" blocked="false" managed="true" failed="false" failure_ignored="false" nodes_running_on="1"><node name="nfo-a" id="1" cached="true"/></resource>
              </resources>
              <status code="0" message="OK"/>
            </pacemaker-result>
            """;

    static final String CONSTRAINTS = """
            <constraints><rsc_location id="cli-prefer-nfo-vip" rsc="nfo-vip" role="Started" node="nfo-a" score="INFINITY"/></constraints>
            """;

    /** A node as the runner sees it: each tool answers, or is missing. */
    private static ToolRunner node(Map<String, CommandResult> answers) throws java.io.IOException {
        String openGate = OutputGateTest.recorded("open.json");
        return (argv, timeout) -> {
            if (argv.equals(OutputGate.listCommand())) {
                return new CommandResult(0, openGate, "", false);
            }
            if (argv.get(0).equals("systemctl")) {
                return new CommandResult(0, "ActiveState=active\nSubState=running\nMainPID=7\nLoadState=loaded\n"
                        + "ActiveEnterTimestamp=Wed 2026-11-25 19:41:49 UTC\nExecMainStatus=0\n", "", false);
            }
            CommandResult answer = answers.get(String.join(" ", argv));
            if (answer == null) {
                throw new NodeAccessException.ToolMissing(argv.get(0) + " not found", null);
            }
            return answer;
        };
    }

    private static SnapshotCollector collector(ToolRunner tools, boolean expectDrbd) {
        return new SnapshotCollector(tools, path -> Optional.ofNullable(PROC.get(path)), Clock.fixed(NOW, ZoneOffset.UTC),
                new SnapshotCollector.Settings(new NodeFactsCollector.Settings(ServiceControl.systemd("nfo.service"),
                        Set.of(9555), Duration.ofSeconds(5)), Duration.ofSeconds(5), expectDrbd));
    }

    @Test
    void aHotNodeWithoutDrbdGivesACompleteSnapshotThatSurvivesTheWire() throws Exception {
        NodeSnapshot snapshot = collector(node(Map.of(
                String.join(" ", SnapshotCollector.CRM_MON), new CommandResult(0, CRM_MON, "", false),
                String.join(" ", SnapshotCollector.CONSTRAINTS), new CommandResult(0, CONSTRAINTS, "", false))), false).collect();

        assertThat(snapshot.failures()).isEmpty();
        assertThat(snapshot.drbd()).isNull();
        assertThat(snapshot.gate().status()).isEqualTo(GateStatus.OPEN);
        CrmMonResult pacemaker = snapshot.pacemaker().orElseThrow();
        assertThat(pacemaker).isInstanceOf(CrmMonResult.Running.class);
        assertThat(snapshot.cib().orElseThrow().leftoverMoves()).hasSize(1);

        JsonMapper json = JsonMapper.builder().build();
        NodeSnapshot travelled = json.readValue(json.writeValueAsString(snapshot), NodeSnapshot.class);
        assertThat(travelled).isEqualTo(snapshot);
    }

    @Test
    void oldPacemakerIsAskedInItsOwnSpelling() throws Exception {
        NodeSnapshot snapshot = collector(node(Map.of(
                String.join(" ", SnapshotCollector.CRM_MON), new CommandResult(64, "", "crm_mon: unrecognized option '--output-as=xml'", false),
                String.join(" ", SnapshotCollector.CRM_MON_LEGACY), new CommandResult(0, "<crm_mon version=\"1.1.16\"><summary/><nodes/><resources/></crm_mon>", "", false),
                String.join(" ", SnapshotCollector.CONSTRAINTS), new CommandResult(0, CONSTRAINTS, "", false))), false).collect();
        assertThat(snapshot.crmMon().text()).startsWith("<crm_mon");
        assertThat(snapshot.failures()).isEmpty();
    }

    @Test
    void aFailingToolFailsOnlyItsPart() throws Exception {
        NodeSnapshot snapshot = collector(node(Map.of(
                String.join(" ", SnapshotCollector.CRM_MON), new CommandResult(102, "", "crm_mon: Connection to cluster failed", false))), true)
                .collect();
        assertThat(snapshot.service().running()).isTrue();
        assertThat(snapshot.crmMon()).isNull();
        assertThat(snapshot.failure("pacemaker")).get().extracting(NodeSnapshot.PartFailure::message).asString()
                .contains("Connection to cluster failed");
        assertThat(snapshot.failure("constraints")).get().extracting(NodeSnapshot.PartFailure::reason).isEqualTo("tool missing");
        assertThat(snapshot.failure("drbd")).as("Cold mode expects DRBD").isPresent();
    }

    @Test
    void drbdFallsBackToTheTextStatus() throws Exception {
        NodeSnapshot snapshot = collector(node(Map.of(
                String.join(" ", SnapshotCollector.DRBD_JSON), new CommandResult(20, "", "unknown option --json", false),
                String.join(" ", SnapshotCollector.DRBD_TEXT), new CommandResult(0,
                        "nfo-config role:Primary\n  disk:UpToDate\n  nfo-b role:Secondary\n    peer-disk:UpToDate\n", "", false))), true)
                .collect();
        assertThat(snapshot.drbd().format()).isEqualTo(NodeSnapshot.Format.DRBDADM_STATUS_TEXT);
        assertThat(snapshot.drbdStatus().orElseThrow().resources()).hasSize(1);
    }

    @Test
    void anUnreachableNodeFailsTheWholeSnapshot() {
        ToolRunner down = (argv, timeout) -> {
            throw new NodeAccessException.Unreachable("connection refused", null);
        };
        SnapshotCollector collector = new SnapshotCollector(down, path -> {
            throw new NodeAccessException.Unreachable("connection refused", null);
        }, Clock.systemUTC(), new SnapshotCollector.Settings(new NodeFactsCollector.Settings(ServiceControl.systemd("nfo"),
                Set.of(9555), Duration.ofSeconds(1)), Duration.ofSeconds(1), false));
        assertThatThrownBy(collector::collect).isInstanceOf(NodeAccessException.Unreachable.class);
    }

}
