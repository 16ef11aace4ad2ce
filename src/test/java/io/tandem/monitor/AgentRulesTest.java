package io.tandem.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.tandem.fleet.AccessKind;
import io.tandem.monitor.AgentBuild.Standing;
import io.tandem.monitor.Finding.Kind;
import io.tandem.node.NodeAccessException;
import io.tandem.node.Version;

/** Each node's Tandem agent against this console's build (and between the nodes), as the pair page and API show it. */
class AgentRulesTest {

    private static final String CONSOLE = "0.2.0";

    private static List<Finding> findings(Pairs pair, String console) {
        List<Finding> out = new ArrayList<>();
        AgentRules.check(Evaluation.of(pair.observe()), out, console);
        return out;
    }

    private static Pairs agents(String a, String b) {
        return Pairs.hot().a(n -> n.agentVersion(a)).b(n -> n.agentVersion(b));
    }

    private static AgentBuild build(String said, String console) {
        return AgentBuild.of(AccessKind.AGENT, Snapshots.node("nfo-a").agentVersion(said).build(), console);
    }

    @Test
    void versionsCompareNumericallyAndAReleaseComesAfterItsSnapshot() {
        assertThat(Version.parse("1.10").orElseThrow()).isGreaterThan(Version.parse("1.9").orElseThrow());
        assertThat(Version.parse("1.0").orElseThrow()).isEqualByComparingTo(Version.parse("1").orElseThrow());
        assertThat(Version.parse("0.2.0-SNAPSHOT").orElseThrow().olderThan(Version.parse("0.2.0").orElseThrow())).isTrue();
        assertThat(Version.parse("0.2.0").orElseThrow().olderThan(Version.parse("0.2.0-SNAPSHOT").orElseThrow())).isFalse();
        assertThat(Version.parse("0.2.0-rc1").orElseThrow()).isEqualByComparingTo(Version.parse("0.2.0-SNAPSHOT").orElseThrow());
        assertThat(Version.parse(Version.DEVELOPMENT)).isEmpty();
    }

    @Test
    void bothNodesOnTheConsolesBuildRaiseNothing() {
        assertThat(findings(agents(CONSOLE, CONSOLE), CONSOLE)).isEmpty();
        assertThat(build(CONSOLE, CONSOLE)).extracting(AgentBuild::standing, AgentBuild::label).containsExactly(Standing.UP_TO_DATE, CONSOLE);
    }

    @Test
    void anOlderAgentIsAWarningWhoseFixIsUpgradeAgent() {
        List<Finding> findings = findings(agents(CONSOLE, "0.1.0"), CONSOLE);

        assertThat(findings).extracting(Finding::kind, Finding::severity, Finding::node, Finding::cause).containsExactly(
                tuple(Kind.AGENT_OUTDATED, Severity.WARNING, "nfo-b", "nfo-b's Tandem agent is version 0.1.0, older than this console's 0.2.0"));
        assertThat(findings.get(0).remedy()).isEqualTo(new Finding.Remedy("UPGRADE_AGENT", "nfo-b", "Upgrade agent…"));
        assertThat(Kind.AGENT_OUTDATED.blocksTakeover()).isFalse();
    }

    @Test
    void aSnapshotBuildIsOlderThanItsRelease() {
        assertThat(findings(agents(CONSOLE, "0.2.0-SNAPSHOT"), CONSOLE)).extracting(Finding::node).containsExactly("nfo-b");
        assertThat(build("0.2.0", "0.2.0-SNAPSHOT").standing()).isEqualTo(Standing.UP_TO_DATE);
    }

    @Test
    void anAgentFromBeforeAgentsSaidTheirVersionShowsUnknownAndIsOlder() {
        List<Finding> findings = findings(agents(null, CONSOLE), CONSOLE);

        assertThat(findings).extracting(Finding::node, Finding::cause).containsExactly(tuple("nfo-a",
                "nfo-a's Tandem agent is from before agents reported their version, older than this console's 0.2.0"));
        assertThat(findings.get(0).details()).containsExactly("nfo-a: unknown", "console: 0.2.0");
        assertThat(build(null, CONSOLE).label()).isEqualTo("unknown");
    }

    @Test
    void theEvaluatorRaisesItWithTheOtherFindings() {
        PairHealth health = Pairs.hot().b(n -> n.agentVersion(null)).health();

        assertThat(health.findings(Kind.AGENT_OUTDATED)).extracting(Finding::node).containsExactly("nfo-b");
        assertThat(health.canSurviveLossOf("nfo-a").survives()).as("an old agent does not stop a takeover").isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "1..2", "-1", "1.2.3.4.5", "99999999999.1", "v1.0", "1.0-", "1.0-rm -rf /",
            "1.0'; DROP TABLE nodes;--", "<script>alert(1)</script>", "\u0000\n\u001b[2J", "１.２", "NaN", "0x10", "1.0-SNAPSHOT\n"})
    void aVersionThatIsNoVersionIsUnreadableNeverAnException(String hostile) {
        List<Finding> findings = findings(agents(CONSOLE, hostile), CONSOLE);

        assertThat(findings).extracting(Finding::kind, Finding::node, Finding::cause).containsExactly(
                tuple(Kind.AGENT_OUTDATED, "nfo-b", "nfo-b's Tandem agent reports a version Tandem cannot read"));
        assertThat(findings.get(0).remedy().operation()).isEqualTo("UPGRADE_AGENT");
        assertThat(findings.get(0).details().get(0)).startsWith("nfo-b said: \"").matches("[\\x20-\\x7e]*");
        assertThat(build(hostile, CONSOLE)).extracting(AgentBuild::standing, AgentBuild::label, AgentBuild::upgradable)
                .containsExactly(Standing.UNREADABLE, "unreadable", true);
    }

    @Test
    void aHugeVersionIsQuotedShort() {
        String huge = "9".repeat(100_000);
        Finding finding = findings(agents(CONSOLE, huge), CONSOLE).get(0);

        assertThat(finding.details().get(0)).isEqualTo("nfo-b said: \"" + "9".repeat(40) + "...\" (100000 characters)");
    }

    @Test
    void twoNewerButDifferentAgentsAreAPairFinding() {
        assertThat(findings(agents("0.3.0", "0.2.1"), CONSOLE)).extracting(Finding::kind, Finding::node, Finding::cause).containsExactly(
                tuple(Kind.AGENT_OUTDATED, null, "The nodes run different Tandem agents: nfo-a 0.3.0, nfo-b 0.2.1"));
    }

    @Test
    void anOlderAgentIsNamedOnceNotAlsoAsADifference() {
        assertThat(findings(agents("0.1.0", CONSOLE), CONSOLE)).extracting(Finding::node).containsExactly("nfo-a");
    }

    @Test
    void aConsoleRunFromClassesComparesNothingButStillSeesTwoDifferentAgents() {
        assertThat(findings(agents(Version.DEVELOPMENT, Version.DEVELOPMENT), Version.DEVELOPMENT)).isEmpty();
        assertThat(findings(agents("0.1.0", "0.1.0"), Version.DEVELOPMENT)).isEmpty();
        assertThat(build("0.1.0", Version.DEVELOPMENT)).extracting(AgentBuild::standing, AgentBuild::upgradable)
                .containsExactly(Standing.UNCOMPARED, false);
        assertThat(findings(agents("0.1.0", Version.DEVELOPMENT), CONSOLE)).extracting(Finding::node, Finding::cause)
                .containsExactly(tuple("nfo-a", "nfo-a's Tandem agent is version 0.1.0, older than this console's 0.2.0"));
        assertThat(findings(agents("0.1.0", "0.1.1"), Version.DEVELOPMENT)).extracting(Finding::node).containsExactly((String) null);
    }

    @Test
    void aNodeReadOverSshHasNoAgentAndAnUnreadNodeClaimsNothing() {
        assertThat(findings(agents(CONSOLE, null).bOverSsh(), CONSOLE)).isEmpty();
        assertThat(AgentBuild.of(AccessKind.SSH, Snapshots.node("nfo-b").build(), CONSOLE).label()).isEqualTo("none (SSH)");

        assertThat(findings(agents("0.1.0", CONSOLE).unreachableA(new NodeAccessException.Unreachable("gone", null)), CONSOLE))
                .isEmpty();
        assertThat(AgentBuild.of(AccessKind.AGENT, null, CONSOLE)).extracting(AgentBuild::standing, AgentBuild::label)
                .containsExactly(Standing.NOT_READ, "not read");
    }
}
