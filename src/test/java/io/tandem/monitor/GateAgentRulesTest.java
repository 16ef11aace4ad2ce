package io.tandem.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.tandem.monitor.Finding.Kind;
import io.tandem.node.GateAgent;
import io.tandem.node.GateAgentFacts;

/** The installed gate OCF agent against the one this console ships (and between the nodes). */
class GateAgentRulesTest {

    private static final GateAgentFacts CURRENT = new GateAgentFacts(true, GateAgent.version());

    /** A Hot pair whose gate Pacemaker runs with the product agent, ocf:tandem:gate. */
    private static Pairs managedByTheProductAgent() {
        String xml = CrmMonXml.hot("nfo-a", "nfo-a", "nfo-b").xml().replace("ocf:tandem:output-gate", GateAgent.PACEMAKER_AGENT);
        return Pairs.hot().a(n -> n.crmMon(xml).gateAgent(CURRENT)).b(n -> n.crmMon(xml).gateAgent(CURRENT));
    }

    private static List<Finding> gateAgentFindings(Pairs pair) {
        return pair.health().findings().stream()
                .filter(f -> f.kind() == Kind.GATE_AGENT_MISSING || f.kind() == Kind.GATE_AGENT_OUTDATED).toList();
    }

    @Test
    void theShippedScriptDeclaresTheVersionOfItsMetaData() {
        assertThat(GateAgent.version()).matches("\\d+\\.\\d+");
        // <version> is the OCF standard the agent implements: pcs refuses to create a resource of any other than 1.0/1.1
        assertThat(GateAgent.script()).startsWith("#!/bin/sh")
                .contains("<version>1.1</version>")
                .contains("<resource-agent name=\"gate\" version=\"" + GateAgent.version() + "\">");
    }

    @Test
    void versionsCompareNumerically() {
        assertThat(GateAgent.compare("1.10", "1.9")).isPositive();
        assertThat(GateAgent.compare("1.0", "1")).isZero();
        assertThat(GateAgent.compare("0.9", "1.0")).isNegative();
        assertThat(GateAgent.versionOf("#!/bin/sh\n# tandem-gate-version: 2.3\n")).contains("2.3");
        assertThat(GateAgent.versionOf("#!/bin/sh\n# an old copy\n")).isEmpty();
    }

    @Test
    void bothNodesWithTheConsolesCopyRaiseNothing() {
        assertThat(gateAgentFindings(managedByTheProductAgent())).isEmpty();
    }

    @Test
    void aMissingCopyWherePacemakerRunsTheAgentBlocksTakeover() {
        List<Finding> findings = gateAgentFindings(managedByTheProductAgent().b(n -> n.gateAgent(GateAgentFacts.ABSENT)));
        assertThat(findings).extracting(Finding::kind, Finding::severity, Finding::node)
                .containsExactly(tuple(Kind.GATE_AGENT_MISSING, Severity.WARNING, "nfo-b"));
        assertThat(findings.get(0).cause()).isEqualTo("ocf:tandem:gate is not installed on nfo-b");
        assertThat(Kind.GATE_AGENT_MISSING.blocksTakeover()).isTrue();
    }

    @Test
    void aMissingCopyIsNoFindingWhenThePairDoesNotUseTheProductAgent() {
        // the default test pair gates with another agent (ocf:tandem:output-gate)
        assertThat(gateAgentFindings(Pairs.hot().a(n -> n.gateAgent(GateAgentFacts.ABSENT)).b(n -> n.gateAgent(GateAgentFacts.ABSENT))))
                .isEmpty();
    }

    @Test
    void anOlderOrUnversionedCopyIsNamedPerNode() {
        List<Finding> findings = gateAgentFindings(managedByTheProductAgent()
                .a(n -> n.gateAgent(new GateAgentFacts(true, "0.9")))
                .b(n -> n.gateAgent(new GateAgentFacts(true, null))));
        assertThat(findings).extracting(Finding::kind, Finding::node, Finding::cause).containsExactly(
                tuple(Kind.GATE_AGENT_OUTDATED, "nfo-a", "nfo-a's gate agent is version 0.9, older than this console's " + GateAgent.version()),
                tuple(Kind.GATE_AGENT_OUTDATED, "nfo-b", "nfo-b's gate agent is from before versions, older than this console's "
                        + GateAgent.version()));
    }

    @Test
    void twoNewerButDifferentCopiesAreAPairFinding() {
        List<Finding> findings = gateAgentFindings(managedByTheProductAgent()
                .a(n -> n.gateAgent(new GateAgentFacts(true, "99.1")))
                .b(n -> n.gateAgent(new GateAgentFacts(true, "99.2"))));
        assertThat(findings).extracting(Finding::kind, Finding::node, Finding::cause).containsExactly(
                tuple(Kind.GATE_AGENT_OUTDATED, null, "The nodes run different gate agents: nfo-a 99.1, nfo-b 99.2"));
    }

    @Test
    void aVersionFromTheNodeThatIsNoVersionIsJudgedOlderNeverAnException() {
        List<Finding> findings = gateAgentFindings(managedByTheProductAgent()
                .b(n -> n.gateAgent(new GateAgentFacts(true, "1.0; rm -rf /\u0000" + "x".repeat(500)))));
        assertThat(findings).extracting(Finding::kind, Finding::node, Finding::cause).containsExactly(
                tuple(Kind.GATE_AGENT_OUTDATED, "nfo-b", "nfo-b's gate agent is of an unreadable version, older than this console's "
                        + GateAgent.version()));
        assertThat(findings.get(0).details().get(0)).matches("[\\x20-\\x7e]{1,120}");
    }

    @Test
    void anUnknownCopyClaimsNothing() {
        assertThat(gateAgentFindings(managedByTheProductAgent().b(n -> n.gateAgent(null)))).isEmpty();
    }
}
