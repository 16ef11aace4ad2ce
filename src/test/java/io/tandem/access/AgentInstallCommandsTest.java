package io.tandem.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.tandem.agent.AgentPackage;

/**
 * The commands of an agent install, run here with a real /bin/sh exactly as their argument vectors say (the SSH
 * adapter quotes each word; {@code SshToolRunnerTest} proves that quoting): values from the registry arrive as
 * single arguments and never run as code, and the write-and-check script replaces a file only when the check passes.
 */
class AgentInstallCommandsTest {

    @TempDir
    Path tmp;

    @Test
    void theProbeTakesHostileRegistryValuesAsDataOnly() throws Exception {
        Path pwned = tmp.resolve("pwned");
        String home = "/opt/nfo\"; touch " + pwned + "; echo \"$(touch " + pwned + ")";
        NodeTarget node = node("nfo-a", "10.0.0.1", home, "nfo.service`touch " + pwned + "`", Set.of(2055));

        Result result = run(AgentHostCommands.probe(node), Path.of("/usr/bin"));

        assertThat(result.exit()).isZero();
        assertThat(pwned).doesNotExist();
        HostProbe probe = HostProbe.parse(result.stdout());
        assertThat(probe.nfoHomeExists()).isFalse();
        assertThat(probe.uid()).isGreaterThanOrEqualTo(0);
    }

    @Test
    void theProbeSeesAnExistingHomeWithSpacesAndTheAgentsPaths() throws Exception {
        Path home = Files.createDirectories(tmp.resolve("nfo home"));
        HostCommand probe = AgentHostCommands.probe(node("nfo-a", "10.0.0.1", home.toString(), "nfo.service", Set.of()));
        // the agent's paths are the script's last arguments: point one at a file that exists here
        List<String> argv = new ArrayList<>(probe.argv());
        Path jar = Files.writeString(tmp.resolve("tandem-agent.jar"), "x");
        argv.set(argv.indexOf(AgentPackage.JAR), jar.toString());

        HostProbe parsed = HostProbe.parse(run(argv, new byte[0], Path.of("/usr/bin")).stdout());

        assertThat(parsed.nfoHomeExists()).isTrue();
        assertThat(parsed.present()).contains(jar.toString()).doesNotContain(AgentPackage.UNIT);
    }

    @Test
    void aFileIsReplacedOnlyWhenVisudoAcceptsIt() throws Exception {
        Path sudoers = Files.writeString(tmp.resolve("tandem-agent"), "old rule\n");
        Path accepting = fakeVisudo("accepting", 0);
        Path refusing = fakeVisudo("refusing", 1);
        List<String> argv = List.of("sh", "-c", AgentHostCommands.WRITE, "sh", sudoers.toString(), "0440", "visudo");

        assertThat(run(argv, "bad rule\n".getBytes(StandardCharsets.UTF_8), refusing).exit()).isEqualTo(1);
        assertThat(Files.readString(sudoers)).isEqualTo("old rule\n");
        assertThat(tmp.resolve("tandem-agent.tandem-new")).doesNotExist();

        assertThat(run(argv, "new rule\n".getBytes(StandardCharsets.UTF_8), accepting).exit()).isZero();
        assertThat(Files.readString(sudoers)).isEqualTo("new rule\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(sudoers))).isEqualTo("r--r-----");
    }

    @Test
    void theSudoersAndUnitTheConsoleWritesAreThePackagesFiles() {
        HostCommand sudoers = AgentHostCommands.installSudoers();
        assertThat(new String(sudoers.stdin(), StandardCharsets.UTF_8)).isEqualTo(AgentPackage.sudoers());
        assertThat(sudoers.argv()).containsSubsequence(AgentPackage.SUDOERS, "0440", "visudo");

        HostCommand unit = AgentHostCommands.installUnit();
        assertThat(new String(unit.stdin(), StandardCharsets.UTF_8)).isEqualTo(AgentPackage.unit());
        assertThat(unit.argv()).containsSubsequence(AgentPackage.UNIT, "0644", "-");
    }

    @Test
    void agentInitGetsEachRegistryValueAsOneArgumentAndKeepsItsOutputSecret() {
        NodeTarget node = node("nfo-a", "10.0.0.1; reboot", "/opt/nfo $(id)", "nfo.service", Set.of(9995, 2055));

        HostCommand init = AgentHostCommands.init(node);

        assertThat(init.secretOutput()).isTrue();
        assertThat(init.argv()).startsWith("sudo", "-n", "-u", AgentPackage.USER, "--", AgentPackage.JAVA, "-jar", AgentPackage.JAR)
                .containsSubsequence("--host", "10.0.0.1; reboot")
                .containsSubsequence("--nfo-home", "/opt/nfo $(id)")
                .containsSubsequence("--listen-port", "7443")
                .containsSubsequence("--flow-port", "2055", "--flow-port", "9995")
                .contains("--sudo");
    }

    @Test
    void pathsMustBeAbsoluteSoNoneReadsAsAnOption() {
        assertThatThrownBy(() -> AgentHostCommands.remove("-rf")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AgentHostCommands.installJar("--help")).isInstanceOf(IllegalArgumentException.class);
        assertThat(AgentHostCommands.remove("/tmp/x.jar").argv()).containsExactly("rm", "-f", "--", "/tmp/x.jar");
    }

    @Test
    void theHashIsTheFirstWordOfSha256sum() {
        String hash = "a".repeat(64);
        assertThat(AgentHostCommands.sha256Of(hash + "  /usr/share/tandem-agent/tandem-agent.jar\n")).isEqualTo(hash);
        assertThatThrownBy(() -> AgentHostCommands.sha256Of("sha256sum: x: No such file or directory"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    static NodeTarget node(String name, String address, String home, String unit, Set<Integer> ports) {
        return new NodeTarget(UUID.randomUUID(), name, address, NodeTarget.Transport.SSH, "root", 22, 7443, "key", null, false,
                home, unit, List.of("server/etc/**"), List.of(), ports, false);
    }

    private Path fakeVisudo(String name, int exit) throws IOException {
        Path bin = Files.createDirectories(tmp.resolve(name));
        Path visudo = bin.resolve("visudo");
        Files.writeString(visudo, "#!/bin/sh\n[ \"$1\" = -cf ] && [ -f \"$2\" ] || exit 9\nexit " + exit + "\n");
        Files.setPosixFilePermissions(visudo, PosixFilePermissions.fromString("rwxr-xr-x"));
        return bin;
    }

    private record Result(int exit, String stdout) {
    }

    private Result run(HostCommand command, Path path) throws Exception {
        return run(command.argv(), command.stdin(), path);
    }

    private static Result run(List<String> argv, byte[] stdin, Path path) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(argv).redirectErrorStream(true);
        builder.environment().put("PATH", path + ":/usr/bin:/bin:/usr/sbin:/sbin");
        Process process = builder.start();
        try (var in = process.getOutputStream()) {
            in.write(stdin);
        }
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Result(process.waitFor(), out);
    }
}
