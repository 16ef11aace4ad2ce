package io.tandem.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeFactsCollectorTest {

    private static final Instant NOW = Instant.parse("2026-11-25T19:45:00Z");
    private static final Map<String, String> PROC = Map.of(
            "/proc/sys/kernel/hostname", "nfo-b\n",
            "/proc/uptime", "1200.50 2300.10\n",
            "/proc/sys/kernel/osrelease", "5.14.0-427.el9.x86_64\n",
            "/proc/net/udp", ProcNetUdpTest.UDP,
            "/proc/net/udp6", ProcNetUdpTest.UDP6,
            "/proc/net/snmp", ProcNetUdpTest.SNMP);

    @Test
    void gathersEveryPartThroughTheRunnerAndFileSource() throws Exception {
        String blocked = OutputGateTest.recorded("blocked.json");
        ToolRunner tools = (argv, timeout) -> {
            if (argv.equals(OutputGate.listCommand())) {
                return new CommandResult(0, blocked, "", false);
            }
            if (argv.get(0).equals("systemctl")) {
                return new CommandResult(0, "ActiveState=active\nSubState=running\nMainPID=42\nLoadState=loaded\n"
                        + "ActiveEnterTimestamp=Wed 2026-11-25 19:41:49 UTC\nExecMainStatus=0\n", "", false);
            }
            throw new AssertionError("unexpected command " + argv);
        };
        FileSource files = path -> Optional.ofNullable(PROC.get(path));
        NodeFactsCollector collector = new NodeFactsCollector(tools, files, Clock.fixed(NOW, ZoneOffset.UTC),
                new NodeFactsCollector.Settings(ServiceControl.systemd("nfo.service"), Set.of(9555),
                        Duration.ofSeconds(5)));

        NodeFacts facts = collector.snapshot();

        assertThat(facts.host().hostname()).isEqualTo("nfo-b");
        assertThat(facts.service().mainPid()).isEqualTo(42);
        assertThat(facts.udp().sockets()).extracting(UdpSocket::family).containsExactly("udp", "udp6");
        assertThat(facts.udp().udp6()).isNull(); // no /proc/net/snmp6 in this sample
        assertThat(facts.gate().status()).isEqualTo(GateStatus.BLOCKED);
        assertThat(facts.takenAt()).isEqualTo(NOW);
    }

    @Test
    void aMissingRequiredFileIsABadAnswer() {
        NodeFactsCollector collector = new NodeFactsCollector((argv, timeout) -> null, path -> Optional.empty(),
                Clock.systemUTC(), new NodeFactsCollector.Settings(ServiceControl.systemd("nfo"), Set.of(9555),
                        Duration.ofSeconds(5)));

        assertThatThrownBy(collector::host).isInstanceOf(NodeAccessException.BadAnswer.class)
                .hasMessageContaining("/proc/sys/kernel/hostname");
    }

    @Test
    void localAndToolFileSourcesReadTheSameBytesAndAgreeOnAbsence(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("snmp");
        Files.writeString(file, ProcNetUdpTest.SNMP);
        FileSource viaCat = FileSource.viaTool(new LocalToolRunner(LocalToolRunner.Settings.defaults()),
                Duration.ofSeconds(10));

        assertThat(viaCat.read(file.toString())).isEqualTo(FileSource.local().read(file.toString()))
                .contains(ProcNetUdpTest.SNMP);
        assertThat(viaCat.read(dir.resolve("none").toString())).isEmpty();
        assertThat(FileSource.local().read(dir.resolve("none").toString())).isEmpty();
        assertThat(FileSource.local().read("/proc/uptime")).get().asString().matches("\\d+\\.\\d+ .*\\s*");
    }

    @Test
    void operatorStatusCommandDecidesTheServiceState() throws Exception {
        ServiceControl custom = ServiceControl.commands(List.of("nfo", "start"), List.of("nfo", "stop"),
                List.of("nfo", "status"), null);
        NodeFactsCollector collector = new NodeFactsCollector((argv, timeout) -> new CommandResult(3, "stopped", "",
                false), path -> Optional.empty(), Clock.systemUTC(),
                new NodeFactsCollector.Settings(custom, Set.of(9555), Duration.ofSeconds(5)));

        assertThat(collector.service().state()).isEqualTo(ActiveState.INACTIVE);
    }
}
