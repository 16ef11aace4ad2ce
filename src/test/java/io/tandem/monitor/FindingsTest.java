package io.tandem.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.tandem.monitor.Finding.Kind;
import io.tandem.netflow.Exporter;
import io.tandem.netflow.ParityReport;
import io.tandem.netflow.TemplateDefinition;
import io.tandem.netflow.TemplateField;
import io.tandem.netflow.TemplateKey;
import io.tandem.netflow.TemplateKind;
import io.tandem.node.ActiveState;
import io.tandem.node.GateState;
import io.tandem.node.GateStatus;
import io.tandem.node.NodeAccessException;

/** Every finding, each from a healthy pair bent into one danger state. */
class FindingsTest {

    record Case(String name, Supplier<Pairs> pair, Kind kind, Severity severity, String node, String cause) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("both outputs open (gate open on the passive)",
                        () -> Pairs.hot().b(n -> n.gate(GateStatus.OPEN)),
                        Kind.SPLIT_BRAIN_OUTPUT, Severity.CRITICAL, null, "Both outputs open: nfo-a and nfo-b"),
                new Case("both outputs blocked",
                        () -> Pairs.hot().a(n -> n.gate(GateStatus.BLOCKED)),
                        Kind.NO_OUTPUT, Severity.CRITICAL, null, "Both outputs blocked"),
                new Case("NFO running nowhere",
                        () -> Pairs.hot().a(n -> n.service(ActiveState.FAILED)).b(n -> n.service(ActiveState.INACTIVE)),
                        Kind.NO_OUTPUT, Severity.CRITICAL, null, "No node sends output: nfo-a FAILED, nfo-b STOPPED"),
                new Case("Pacemaker says NFO started, node says stopped",
                        () -> Pairs.hot().b(n -> n.service(ActiveState.INACTIVE)),
                        Kind.PACEMAKER_DISAGREES, Severity.WARNING, "nfo-b",
                        "Pacemaker has nfo started on nfo-b, but nfo-b says nfo.service is inactive (dead)"),
                new Case("Pacemaker says gate started (output open), node's gate blocked",
                        () -> Pairs.hot().pacemaker(CrmMonXml.hot("nfo-b", "nfo-a", "nfo-b")),
                        Kind.PACEMAKER_DISAGREES, Severity.WARNING, "nfo-b",
                        "Pacemaker has nfo-gate started on nfo-b (output open), but nfo-b's gate is BLOCKED"),
                new Case("gate open on the passive, outside Pacemaker",
                        () -> Pairs.hot().b(n -> n.gate(GateStatus.OPEN)),
                        Kind.PACEMAKER_DISAGREES, Severity.WARNING, "nfo-b",
                        "nfo-b's output gate is OPEN, but Pacemaker has nfo-gate stopped there"),
                new Case("DRBD Primary where Pacemaker's DRBD primitive, named apart from DRBD's resource, is not Promoted",
                        () -> Pairs.cold().pacemaker(CrmMonXml.cold("nfo-a").renamed("nfo-config", "drbd-nfo"))
                                .b(n -> n.drbd(DrbdJson.established("nfo-a", "Primary", "Primary"))),
                        Kind.PACEMAKER_DISAGREES, Severity.WARNING, "nfo-b",
                        "Pacemaker has drbd-nfo not Promoted on nfo-b, but DRBD there is Primary"),
                new Case("Pacemaker knows no resource by the configured name",
                        () -> Pairs.hot().pacemaker(CrmMonXml.nodes("nfo-a", "nfo-b")),
                        Kind.PACEMAKER_DISAGREES, Severity.WARNING, null, "Pacemaker has no resource named nfo, nfo-gate"),
                new Case("Hot passive not running NFO",
                        () -> Pairs.hot().b(n -> n.service(ActiveState.INACTIVE)),
                        Kind.PASSIVE_NOT_READY, Severity.WARNING, "nfo-b", "Passive nfo-b is not running NFO"),
                new Case("Hot passive without a socket on its flow port",
                        () -> Pairs.hot().b(n -> n.listening()),
                        Kind.PASSIVE_NOT_READY, Severity.WARNING, "nfo-b",
                        "Passive nfo-b has no socket on UDP 9555: it receives no flows"),
                new Case("Cold passive with DRBD Inconsistent",
                        () -> Pairs.cold().b(n -> n.drbd(DrbdJson.status("Secondary", "Inconsistent", "nfo-a",
                                "Connected", "Primary", "SyncTarget", "UpToDate", 42.1, 200L))),
                        Kind.PASSIVE_NOT_READY, Severity.WARNING, "nfo-b",
                        "Cold passive nfo-b cannot take over: NFO inactive (dead), DRBD nfo-config Secondary/Inconsistent"),
                new Case("Cold passive running NFO",
                        () -> Pairs.cold().b(n -> n.service(ActiveState.ACTIVE)),
                        Kind.PASSIVE_NOT_READY, Severity.WARNING, "nfo-b", "Cold passive nfo-b cannot take over: NFO active"),
                new Case("DRBD resyncing, with progress and ETA",
                        () -> Pairs.cold().a(n -> n.drbd(DrbdJson.status("Primary", "UpToDate", "nfo-b",
                                "Connected", "Secondary", "SyncSource", "Inconsistent", 42.1, 200L))),
                        Kind.DRBD_RESYNCING, Severity.WARNING, null,
                        "DRBD nfo-config is resyncing: 42.1% done, about 3m 20s left"),
                new Case("DRBD disconnected",
                        () -> Pairs.cold().a(n -> n.drbd(DrbdJson.status("Primary", "UpToDate", "nfo-b",
                                "Connecting", "Unknown", "Off", "DUnknown", null, null))),
                        Kind.DRBD_DEGRADED, Severity.WARNING, null,
                        "DRBD nfo-config is not fully replicated: Primary/UpToDate, nfo-b Connecting peer-disk DUnknown"),
                new Case("DRBD split brain (StandAlone with data)",
                        () -> Pairs.cold().b(n -> n.drbd(DrbdJson.status("Secondary", "UpToDate", "nfo-a",
                                "StandAlone", "Unknown", "Off", "DUnknown", null, null))),
                        Kind.DRBD_SPLIT_BRAIN, Severity.CRITICAL, null, "DRBD split brain on nfo-config"),
                new Case("configuration drift in a Hot pair",
                        () -> Pairs.hot().drift("server/etc/server.cfg", "tomcat/conf/server.xml"),
                        Kind.CONFIG_DRIFT, Severity.WARNING, null,
                        "Configuration differs between nfo-a and nfo-b: 2 files"),
                new Case("template gap with exposure",
                        () -> Pairs.hot().parity(gap()),
                        Kind.TEMPLATE_GAP, Severity.WARNING, "nfo-b",
                        "Passive nfo-b lacks 2 templates and holds 1 conflicting template (1,200 records/s would be dropped)"),
                new Case("stale templates on the passive",
                        () -> Pairs.hot().parity(staleOnPassive()),
                        Kind.STALE_TEMPLATES, Severity.WARNING, "nfo-b", "1 stale template (1 on nfo-b)"),
                new Case("leftover cli-ban in crm_mon",
                        () -> Pairs.hot().pacemaker(CrmMonXml.hot("nfo-a", "nfo-a", "nfo-b")
                                .ban("cli-ban-nfo-clone-on-nfo-b", "nfo-clone", "nfo-b")),
                        Kind.LEFTOVER_CONSTRAINT, Severity.WARNING, "nfo-b",
                        "Leftover cli-ban-nfo-clone-on-nfo-b keeps nfo-clone off nfo-b"),
                new Case("leftover cli-prefer in the CIB",
                        () -> Pairs.hot().a(n -> n.constraints(CrmMonXml.constraints(
                                "<rsc_location id=\"cli-prefer-nfo-vip\" rsc=\"nfo-vip\" role=\"Started\" node=\"nfo-a\" score=\"INFINITY\"/>"))),
                        Kind.LEFTOVER_CONSTRAINT, Severity.INFO, "nfo-a", "Leftover cli-prefer-nfo-vip pins nfo-vip to nfo-a"),
                new Case("failed actions",
                        () -> Pairs.hot().pacemaker(CrmMonXml.hot("nfo-a", "nfo-a", "nfo-b")
                                .failure("nfo_monitor_10000", "nfo-b", "not running", 7)),
                        Kind.PACEMAKER_FAILURES, Severity.WARNING, "nfo-b",
                        "1 failed Pacemaker action on nfo-b: nfo_monitor_10000 on nfo-b: not running (rc 7)"),
                new Case("two-node cluster without fencing",
                        () -> Pairs.hot().pacemaker(CrmMonXml.hot("nfo-a", "nfo-a", "nfo-b").withoutFencing()),
                        Kind.NO_FENCING, Severity.WARNING, null,
                        "This two-node cluster runs without fencing (stonith-enabled=false)"),
                new Case("a node never read has no age from 1970",
                        () -> Pairs.hot().neverReadB(),
                        Kind.NODE_UNREACHABLE, Severity.WARNING, "nfo-b", "nfo-b has not been read yet"),
                new Case("unreachable passive",
                        () -> Pairs.hot().unreachableB(new NodeAccessException.Unreachable("connect to 10.0.0.2:7443: no route to host", null)),
                        Kind.NODE_UNREACHABLE, Severity.WARNING, "nfo-b", "Cannot read nfo-b: unreachable"),
                new Case("unreachable while the other node is not sending",
                        () -> Pairs.hot().a(n -> n.gate(GateStatus.BLOCKED))
                                .unreachableB(new NodeAccessException.TimedOut("no answer within 5s", null)),
                        Kind.NODE_UNREACHABLE, Severity.CRITICAL, "nfo-b", "Cannot read nfo-b: timeout"),
                new Case("changed key",
                        () -> Pairs.hot().unreachableB(new NodeAccessException.KeyRejected("SHA256:old", "SHA256:new")),
                        Kind.KEY_CHANGED, Severity.CRITICAL, "nfo-b", "KEY CHANGED on nfo-b"),
                new Case("stale snapshot",
                        () -> Pairs.hot().observedB(Snapshots.T0.minusSeconds(250)),
                        Kind.STALE_DATA, Severity.WARNING, "nfo-b", "Data from nfo-b is 4m 15s old (bound 30s)"),
                new Case("part of a node unreadable",
                        () -> Pairs.hot().b(n -> n.unreadable("pacemaker", "permission denied", "crm_mon: not allowed")),
                        Kind.FACTS_MISSING, Severity.WARNING, "nfo-b", "Could not read pacemaker on nfo-b"),
                new Case("no output gate on a node",
                        () -> Pairs.hot().a(n -> n.gate(GateStatus.ABSENT)),
                        Kind.GATE_UNRELIABLE, Severity.WARNING, "nfo-a", "nfo-a has no output gate"),
                new Case("gate with a foreign rule",
                        () -> Pairs.hot().b(n -> n.gate(new GateState(GateStatus.BLOCKED, true,
                                Snapshots.gate(GateStatus.BLOCKED).rules(), List.of("rule 7 is not ours"), "1.0.6"))),
                        Kind.GATE_UNRELIABLE, Severity.WARNING, "nfo-b", "convention: rule 7 is not ours"),
                new Case("no quorum with no-quorum-policy=stop",
                        () -> Pairs.hot().b(n -> n.crmMon(CrmMonXml.hot("nfo-a", "nfo-a", "nfo-b").withoutQuorum("stop").xml())),
                        Kind.NO_QUORUM, Severity.CRITICAL, "nfo-b", "Pacemaker on nfo-b has no quorum (no-quorum-policy=stop)"),
                new Case("node offline in Pacemaker",
                        () -> Pairs.hot().pacemaker(CrmMonXml.hot("nfo-a", "nfo-a").offline("nfo-b")),
                        Kind.NODE_OFFLINE_IN_PACEMAKER, Severity.WARNING, "nfo-b",
                        "nfo-b is offline in Pacemaker, unclean (awaiting fencing) (as nfo-a sees it)"),
                new Case("Pacemaker not running on a node",
                        () -> Pairs.hot().b(n -> n.crmMon(CrmMonXml.notRunning())),
                        Kind.NODE_OFFLINE_IN_PACEMAKER, Severity.WARNING, "nfo-b",
                        "Pacemaker is not running on nfo-b (pacemakerd is shutting_down)"),
                new Case("passive in standby",
                        () -> Pairs.hot().pacemaker(CrmMonXml.hot("nfo-a", "nfo-a").standby("nfo-b")),
                        Kind.STANDBY, Severity.WARNING, "nfo-b", "nfo-b is in standby"),
                new Case("cluster in maintenance mode",
                        () -> Pairs.hot().pacemaker(CrmMonXml.hot("nfo-a", "nfo-a", "nfo-b").maintenanceMode()),
                        Kind.MAINTENANCE, Severity.WARNING, null, "Pacemaker is in maintenance mode"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void raisesTheFindingWithItsSeverityNodeAndCause(Case c) {
        PairHealth health = c.pair().get().health();

        assertThat(health.findings(c.kind()))
                .extracting(Finding::severity, Finding::node)
                .contains(tuple(c.severity(), c.node()));
        Finding finding = health.findings(c.kind()).stream()
                .filter(f -> java.util.Objects.equals(f.node(), c.node())).findFirst().orElseThrow();
        assertThat(finding.cause()).contains(c.cause()).doesNotContain("\n");
        assertThat(finding.impact()).isNotBlank();
    }

    @Test
    void pacemakerFindingsOfferTheOperationThatFixesThem() {
        assertThat(Pairs.hot().pacemaker(CrmMonXml.hot("nfo-a", "nfo-a", "nfo-b").ban("cli-ban-nfo-clone-on-nfo-b", "nfo-clone", "nfo-b"))
                .health().findings(Kind.LEFTOVER_CONSTRAINT).get(0).remedy())
                .isEqualTo(new Finding.Remedy("CLEAR_CONSTRAINTS", "nfo-clone", "Clear the move constraints of nfo-clone…"));
        assertThat(Pairs.hot().pacemaker(CrmMonXml.hot("nfo-a", "nfo-a", "nfo-b").failure("nfo_monitor_10000", "nfo-b", "not running", 7))
                .health().findings(Kind.PACEMAKER_FAILURES).get(0).remedy())
                .isEqualTo(new Finding.Remedy("CLEANUP_RESOURCE", "nfo", "Clean up nfo…"));
        assertThat(Pairs.hot().pacemaker(CrmMonXml.hot("nfo-a", "nfo-a").standby("nfo-b"))
                .health().findings(Kind.STANDBY).get(0).remedy().operation()).isEqualTo("NODE_UNSTANDBY");
        Finding maintenance = Pairs.hot().pacemaker(CrmMonXml.hot("nfo-a", "nfo-a", "nfo-b").maintenanceMode())
                .health().findings(Kind.MAINTENANCE).get(0);
        assertThat(maintenance.remedy().operation()).isEqualTo("MAINTENANCE_OFF");
        assertThat(Pairs.hot().health().findings()).allMatch(f -> f.remedy() == null);
    }

    @ParameterizedTest(name = "healthy {0} pair has no findings")
    @MethodSource("healthyPairs")
    void aHealthyPairHasNothingToReport(String mode, Supplier<Pairs> pair) {
        PairHealth health = pair.get().health();

        assertThat(health.findings()).isEmpty();
        assertThat(health.worst()).isEmpty();
        assertThat(health.canSurviveLossOf("nfo-a").survives()).isTrue();
        assertThat(health.canSurviveLossOf("nfo-b").survives()).isTrue();
    }

    static Stream<org.junit.jupiter.params.provider.Arguments> healthyPairs() {
        return Stream.of(org.junit.jupiter.params.provider.Arguments.of("Hot", (Supplier<Pairs>) Pairs::hot),
                org.junit.jupiter.params.provider.Arguments.of("Cold", (Supplier<Pairs>) Pairs::cold));
    }

    @Test
    void templateGapListsEveryGapWithItsRate() {
        Finding gap = Pairs.hot().parity(gap()).health().findings(Kind.TEMPLATE_GAP).get(0);

        assertThat(gap.details()).containsExactly(
                "readiness 25% (1 of 4 in-use templates ready)",
                "10.1.1.1/0/256 IPFIX: missing on the passive, 800 records/s",
                "10.1.1.1/0/257 IPFIX: missing on the passive, 300 records/s",
                "10.1.1.2/7/300: different definition on the passive (1 field differs), 100 records/s");
    }

    @Test
    void aNodeNeverReadGetsNoAgeCountedFrom1970() {
        PairHealth health = Pairs.hot().neverReadB().health();

        assertThat(health.findings(Kind.STALE_DATA)).isEmpty();
        assertThat(health.findings()).extracting(Finding::cause).noneMatch(cause -> cause.contains("h ") && cause.contains("old"));
        assertThat(health.node("nfo-b").role()).isEqualTo(NodeRole.UNREACHABLE);
    }

    @Test
    void aNodeWhoseServiceCannotBeReadIsUnknownAndNothingIsJudgedFromIt() {
        PairHealth health = Pairs.hot().b(n -> n.unreadable("service", "command failed", "systemctl: exit 1")).health();

        assertThat(health.node("nfo-b").role()).isEqualTo(NodeRole.UNKNOWN);
        assertThat(health.node("nfo-b").why()).contains("NFO service state could not be read", "command failed");
        assertThat(health.findings(Kind.NODE_UNREACHABLE)).as("it answered: not unreachable").isEmpty();
        assertThat(health.findings(Kind.FACTS_MISSING)).extracting(Finding::node).containsExactly("nfo-b");
        assertThat(health.findings(Kind.PASSIVE_NOT_READY)).as("no readiness guessed from an unknown role").isEmpty();
        assertThat(health.canSurviveLossOf("nfo-a").survives()).isFalse();
    }

    @Test
    void configDriftIsAHotModeFinding() {
        PairHealth health = Pairs.cold().drift("server/etc/server.cfg").health();

        assertThat(health.findings(Kind.CONFIG_DRIFT)).isEmpty();
    }

    @Test
    void anUnreadableNodeThatItsPeersPacemakerSeesOnlineIsAnAccessProblemNotANodeDown() {
        PairHealth health = Pairs.hot().unreachableB(new NodeAccessException.Unreachable(
                "cannot connect to the agent at 10.0.0.2:7443: Connection refused", null)).health();

        Finding finding = health.findings(Kind.NODE_UNREACHABLE).get(0);
        assertThat(finding.cause()).contains("Cannot read nfo-b: unreachable",
                "The Tandem agent on nfo-b is not answering; Pacemaker on nfo-a sees nfo-b online").doesNotContain("down", "offline");
        assertThat(finding.impact()).contains("nfo-b itself is up as far as its cluster can tell",
                "the Tandem agent on nfo-b, or the network between Tandem and nfo-b");
        assertThat(health.node("nfo-b").pacemaker().online()).isTrue();
    }

    @Test
    void anUnreadableNodeThatItsPeersPacemakerSeesOfflineIsDown() {
        PairHealth health = Pairs.hot().pacemaker(CrmMonXml.hot("nfo-a", "nfo-a").offline("nfo-b"))
                .unreachableB(new NodeAccessException.TimedOut("no answer within 15s", null)).health();

        Finding finding = health.findings(Kind.NODE_UNREACHABLE).get(0);
        assertThat(finding.cause()).contains("Cannot read nfo-b: timeout. nfo-b is down: Pacemaker on nfo-a sees it offline")
                .doesNotContain("not answering");
        assertThat(finding.impact()).doesNotContain("itself is up");
    }

    @Test
    void aChangedKeyIsNotAlsoReportedAsUnreachable() {
        PairHealth health = Pairs.hot().unreachableB(new NodeAccessException.KeyRejected("SHA256:old", "SHA256:new")).health();

        assertThat(health.findings(Kind.NODE_UNREACHABLE)).isEmpty();
        assertThat(health.findings(Kind.KEY_CHANGED).get(0).details().get(0)).contains("SHA256:new", "SHA256:old");
    }

    @Test
    void aPartitionedNodeIsJudgedByTheQuorateSidesView() {
        PairHealth health = Pairs.hot()
                .a(n -> n.crmMon(CrmMonXml.hot("nfo-a", "nfo-a").offline("nfo-b").xml()))
                .b(n -> n.crmMon(CrmMonXml.hot("nfo-b", "nfo-b").offline("nfo-a").withoutQuorum("stop").xml()))
                .health();

        assertThat(health.node("nfo-b").pacemaker().reportedBy()).isEqualTo("nfo-a");
        assertThat(health.findings(Kind.NODE_OFFLINE_IN_PACEMAKER)).extracting(Finding::node).containsExactly("nfo-b");
    }

    static final Exporter ROUTER = Exporter.parse("10.1.1.1");

    /** Passive lacks two in-use templates and holds one conflicting definition: 1,200 records/s exposed. */
    static ParityReport gap() {
        TemplateKey conflicted = new TemplateKey(Exporter.parse("10.1.1.2"), 7, 300);
        var active = new TemplateDefinition(TemplateKind.V9, 0, List.of(new TemplateField(8, 0, 4), new TemplateField(12, 0, 4)));
        var passive = new TemplateDefinition(TemplateKind.V9, 0, List.of(new TemplateField(8, 0, 4), new TemplateField(12, 0, 16)));
        return new ParityReport(Snapshots.T0.toEpochMilli(), 600_000,
                List.of(new ParityReport.Gap(new TemplateKey(ROUTER, 0, 256), TemplateKind.IPFIX, true, 800),
                        new ParityReport.Gap(new TemplateKey(ROUTER, 0, 257), TemplateKind.IPFIX, true, 300)),
                List.of(),
                List.of(new ParityReport.Conflict(conflicted, active, passive,
                        List.of(new ParityReport.FieldChange(1, new TemplateField(12, 0, 4), new TemplateField(12, 0, 16))), 100)),
                List.of(), 4, 1, 0.25,
                List.of(new ParityReport.Exposure(new TemplateKey(ROUTER, 0, 256), ParityReport.Cause.MISSING_ON_PASSIVE, 800),
                        new ParityReport.Exposure(new TemplateKey(ROUTER, 0, 257), ParityReport.Cause.MISSING_ON_PASSIVE, 300),
                        new ParityReport.Exposure(conflicted, ParityReport.Cause.CONFLICT, 100)),
                1200);
    }

    static ParityReport staleOnPassive() {
        return new ParityReport(Snapshots.T0.toEpochMilli(), 600_000, List.of(), List.of(), List.of(),
                List.of(new ParityReport.Stale(ParityReport.Side.PASSIVE, new TemplateKey(ROUTER, 0, 256),
                        Snapshots.T0.toEpochMilli() - 1_800_000, 600_000)),
                1, 1, 1.0, List.of(), 0);
    }
}
