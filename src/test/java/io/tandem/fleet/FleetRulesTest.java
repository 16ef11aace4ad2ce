package io.tandem.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import java.util.function.UnaryOperator;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

import io.tandem.console.Rejected;

public class FleetRulesTest {

    public static NodeSpec node(String name, String address) {
        return new NodeSpec(name, address, AccessKind.AGENT, null, null, null, null, null, null, null, null, null);
    }

    static ClusterSpec valid() {
        return new ClusterSpec("pair", ClusterMode.HOT, null, null, null, null, null,
                List.of(node("nfo-a", "10.0.0.1"), node("nfo-b", "nfo-b.example.net")));
    }

    record Case(String what, UnaryOperator<ClusterSpec> change, String field) {
        @Override
        public String toString() {
            return what;
        }
    }

    static List<Case> refusals() {
        return List.of(
                new Case("blank name", s -> with(s, "   ", s.mode()), "name"),
                new Case("control character in name", s -> with(s, "a\u0007b", s.mode()), "name"),
                new Case("no mode", s -> with(s, s.name(), null), "mode"),
                new Case("three nodes", s -> nodes(s, List.of(node("a", "1.1.1.1"), node("b", "1.1.1.2"), node("c", "1.1.1.3"))), "nodes"),
                new Case("same node names", s -> nodes(s, List.of(node("nfo", "1.1.1.1"), node("NFO", "1.1.1.2"))), "nodes[1].name"),
                new Case("ipv4 out of range", s -> nodes(s, List.of(node("a", "10.0.0.256"), node("b", "1.1.1.2"))), "nodes[0].address"),
                new Case("empty host label", s -> nodes(s, List.of(node("a", "a..b"), node("b", "1.1.1.2"))), "nodes[0].address"),
                new Case("shell in address", s -> nodes(s, List.of(node("a", "x;rm -rf /"), node("b", "1.1.1.2"))), "nodes[0].address"),
                new Case("bad ipv6", s -> nodes(s, List.of(node("a", "fe80:::1:::2"), node("b", "1.1.1.2"))), "nodes[0].address"),
                new Case("relative nfo home", s -> nodes(s, List.of(
                        new NodeSpec("a", "1.1.1.1", AccessKind.AGENT, null, null, null, "opt/nfo", null, null, null, null, null),
                        node("b", "1.1.1.2"))), "nodes[0].nfoHome"),
                new Case("dot-dot glob", s -> nodes(s, List.of(
                        new NodeSpec("a", "1.1.1.1", AccessKind.AGENT, null, null, null, null, null, List.of("../etc/*"), null, null, null),
                        node("b", "1.1.1.2"))), "nodes[0].configIncludes"),
                new Case("duplicate flow port", s -> nodes(s, List.of(
                        new NodeSpec("a", "1.1.1.1", AccessKind.AGENT, null, null, null, null, null, null, null, List.of(9555, 9555), null),
                        node("b", "1.1.1.2"))), "nodes[0].flowPorts"),
                new Case("ssh credential that is no key", s -> nodes(s, List.of(
                        new NodeSpec("a", "1.1.1.1", AccessKind.SSH, null, null, null, null, null, null, null, null, "hunter2"),
                        node("b", "1.1.1.2"))), "nodes[0].credential"),
                new Case("pacemaker id with a space", s -> new ClusterSpec("p", ClusterMode.HOT, null, "nfo svc", null, null, null, s.nodes()),
                        "nfoResource"),
                new Case("unit with a slash", s -> nodes(s, List.of(
                        new NodeSpec("a", "1.1.1.1", AccessKind.AGENT, null, null, null, null, "../../x", null, null, null, null),
                        node("b", "1.1.1.2"))), "nodes[0].serviceUnit"));
    }

    @ParameterizedTest
    @MethodSource("refusals")
    void refusesWithTheFieldToBlame(Case refusal) {
        Rejected rejected = catchThrowableOfType(Rejected.class, () -> FleetRules.normalize(refusal.change().apply(valid())));
        assertThat(rejected).isNotNull();
        assertThat(rejected.violations()).extracting(Rejected.Violation::field).contains(refusal.field());
    }

    @Test
    void fillsTheDefaultsAnOperatorExpects() {
        ClusterSpec normalized = FleetRules.normalize(valid());
        NodeSpec a = normalized.nodes().get(0);
        assertThat(a.nfoHome()).isEqualTo("/opt/flowintegrator");
        assertThat(a.flowPorts()).containsExactly(9555);
        assertThat(a.configIncludes()).contains("server/etc/**");
        assertThat(normalized.gateResource()).isEqualTo("nfo-gate");
        assertThat(normalized.drbdResource()).isNull();
        ClusterSpec cold = FleetRules.normalize(new ClusterSpec(" cold ", ClusterMode.COLD, " ", null, null, null, null, valid().nodes()));
        assertThat(cold.name()).isEqualTo("cold");
        assertThat(cold.description()).isNull();
        assertThat(cold.drbdResource()).isEqualTo("nfo-config");
    }

    @Test
    void acceptsEveryAddressForm() {
        for (String address : List.of("10.1.2.3", "fd00::1", "::1", "nfo-a", "nfo-a.dc1.example.com")) {
            ClusterSpec spec = nodes(valid(), List.of(node("a", address), node("b", "1.1.1.2")));
            assertThat(FleetRules.normalize(spec).nodes().get(0).address()).isEqualTo(address);
        }
    }

    @Test
    void reportsEveryProblemAtOnce() {
        ClusterSpec spec = new ClusterSpec("", null, null, null, null, null, null, List.of(node("", ""), node("", "")));
        Rejected rejected = catchThrowableOfType(Rejected.class, () -> FleetRules.normalize(spec));
        assertThat(rejected.violations()).hasSizeGreaterThanOrEqualTo(6);
    }

    private static ClusterSpec with(ClusterSpec s, String name, ClusterMode mode) {
        return new ClusterSpec(name, mode, s.description(), s.nfoResource(), s.vipResource(), s.gateResource(), s.drbdResource(), s.nodes());
    }

    private static ClusterSpec nodes(ClusterSpec s, List<NodeSpec> nodes) {
        return new ClusterSpec(s.name(), s.mode(), s.description(), s.nfoResource(), s.vipResource(), s.gateResource(), s.drbdResource(), nodes);
    }
}
