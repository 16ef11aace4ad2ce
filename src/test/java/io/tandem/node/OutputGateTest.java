package io.tandem.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tandem.node.GateDestination.Transport;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class OutputGateTest {

    private static final GateDestination SYSLOG = GateDestination.of("127.0.0.1", Transport.UDP, 514);
    private static final GateDestination HEC = GateDestination.of("2001:DB8:0:0::10", Transport.TCP, 8088);

    static String recorded(String name) throws IOException {
        try (InputStream in = OutputGateTest.class.getResourceAsStream("nft/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static GateState read(String name) throws Exception {
        return OutputGate.read(new CommandResult(0, recorded(name), "", false));
    }

    @Test
    void blockedWhenOurDropRulesArePresentWithTheirCounters() throws Exception {
        GateState gate = read("blocked.json");

        assertThat(gate.status()).isEqualTo(GateStatus.BLOCKED);
        assertThat(gate.chainHooked()).isTrue();
        assertThat(gate.problems()).isEmpty();
        assertThat(gate.nftVersion()).isEqualTo("1.0.6");
        assertThat(gate.rules()).containsExactly(
                new GateRule(2, SYSLOG, true, 7, 896, "tandem-gate"),
                new GateRule(3, HEC, true, 0, 0, "tandem-gate"));
        assertThat(gate.droppedPackets()).isEqualTo(7);
        assertThat(gate.unblocked(List.of(SYSLOG, HEC))).isEmpty();
    }

    @Test
    void namesConfiguredDestinationsThatNoRuleBlocks() throws Exception {
        GateDestination kafka = GateDestination.of("192.0.2.0/24", Transport.TCP, 9092);

        assertThat(read("blocked.json").unblocked(List.of(SYSLOG, kafka))).containsExactly(kafka);
    }

    @Test
    void openWhenTheChainHasNoGateRules() throws Exception {
        GateState gate = read("open.json");

        assertThat(gate.status()).isEqualTo(GateStatus.OPEN);
        assertThat(gate.rules()).isEmpty();
        assertThat(gate.problems()).isEmpty();
        assertThat(gate.unblocked(List.of(SYSLOG))).containsExactly(SYSLOG);
    }

    @Test
    void absentWhenNftHasNoSuchTable() throws Exception {
        CommandResult answer = new CommandResult(Integer.parseInt(recorded("absent.rc").strip()), "",
                recorded("absent.err"), false);

        assertThat(OutputGate.read(answer).status()).isEqualTo(GateStatus.ABSENT);
    }

    @Test
    void aForeignRuleIsReportedBecauseItCanBypassTheGate() throws Exception {
        GateState gate = read("blocked-with-foreign-rule.json");

        assertThat(gate.status()).isEqualTo(GateStatus.BLOCKED);
        assertThat(gate.rules()).hasSize(3);
        assertThat(gate.rules().get(2).ours()).isFalse();
        assertThat(gate.problems()).singleElement().asString().contains("not ours");
    }

    @Test
    void aTableWithoutTheHookedChainGatesNothing() throws Exception {
        GateState gate = read("table-without-chain.json");

        assertThat(gate.status()).isEqualTo(GateStatus.OPEN);
        assertThat(gate.chainHooked()).isFalse();
        assertThat(gate.problems()).singleElement().asString().contains("no output chain");
    }

    @Test
    void dropPolicyAndHandWrittenRulesWithOurCommentAreProblems() throws Exception {
        String json = recorded("blocked.json").replace("\"policy\": \"accept\"", "\"policy\": \"drop\"")
                .replace("{\"drop\": null}]}}, {\"rule\"", "{\"accept\": null}]}}, {\"rule\"");

        GateState gate = OutputGate.read(new CommandResult(0, json, "", false));

        assertThat(gate.rules().get(0).gateDrop()).isFalse();
        assertThat(gate.problems()).anyMatch(p -> p.contains("policy is drop"))
                .anyMatch(p -> p.contains("rule 2 carries our comment"));
    }

    @Test
    void hostileAnswersAreBadAnswersOrRefusals() {
        assertThatThrownBy(() -> OutputGate.read(new CommandResult(0, "{\"nftables\": [", "", false)))
                .isInstanceOf(NodeAccessException.BadAnswer.class);
        assertThatThrownBy(() -> OutputGate.read(new CommandResult(0, "[1,2]", "", false)))
                .isInstanceOf(NodeAccessException.BadAnswer.class);
        assertThatThrownBy(() -> OutputGate.read(new CommandResult(0,
                "{\"nftables\": [{\"table\": {\"family\": \"inet\", \"name\": \"other\"}}]}", "", false)))
                .isInstanceOf(NodeAccessException.BadAnswer.class).hasMessageContaining("does not contain");
        assertThatThrownBy(() -> OutputGate.read(new CommandResult(1, "",
                "Error: Could not process rule: Operation not permitted\n", false)))
                .isInstanceOf(NodeAccessException.PermissionDenied.class);
        String deep = "[".repeat(5000) + "]".repeat(5000);
        assertThatThrownBy(() -> OutputGate.read(new CommandResult(0, deep, "", false)))
                .isInstanceOf(NodeAccessException.BadAnswer.class);
    }

    @Test
    void blockAndOpenAreSingleTransactionsThatRewriteOurChain() {
        assertThat(OutputGate.blockCommand(List.of(SYSLOG, HEC))).containsExactly("nft",
                "add table inet tandem; "
                        + "add chain inet tandem output { type filter hook output priority 0; policy accept; }; "
                        + "flush chain inet tandem output; "
                        + "add rule inet tandem output ip daddr 127.0.0.1 udp dport 514 counter drop comment \"tandem-gate\"; "
                        + "add rule inet tandem output ip6 daddr 2001:db8::10 tcp dport 8088 counter drop comment \"tandem-gate\"");
        assertThat(OutputGate.openScript()).isEqualTo("""
                add table inet tandem
                add chain inet tandem output { type filter hook output priority 0; policy accept; }
                flush chain inet tandem output
                """);
        assertThat(OutputGate.listCommand()).containsExactly("nft", "-j", "list", "table", "inet", "tandem");
        assertThatThrownBy(() -> OutputGate.blockCommand(List.of())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void destinationsAreLiteralsOnlySoNothingCanBeInjectedIntoTheScript() {
        assertThat(GateDestination.of("10.1.0.0/16", Transport.UDP, 9995).nftMatch())
                .isEqualTo("ip daddr 10.1.0.0/16 udp dport 9995");
        assertThat(GateDestination.of("10.0.0.1/32", Transport.UDP, 1).address()).isEqualTo("10.0.0.1");
        for (String hostile : List.of("siem.example.com", "1.2.3.4; flush ruleset", "1.2.3.4 accept", "256.1.1.1",
                "1.2.3.4/33", "::1::2", "fe80::1%eth0", "", "1:2:3:4:5:6:7:8:9")) {
            assertThatThrownBy(() -> GateDestination.of(hostile, Transport.UDP, 514))
                    .as(hostile).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> GateDestination.of("10.0.0.1", Transport.UDP, 0))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
