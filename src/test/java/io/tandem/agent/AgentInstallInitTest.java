package io.tandem.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the console's Install agent relies on in the agent itself: {@code agent init} writes the node's registered
 * NFO home, unit, flow ports and port into agent.yml (read back by the agent's own loader), its last two lines give
 * the token and fingerprint to a program, and the files it installs are the ones the packages ship.
 */
class AgentInstallInitTest {

    @TempDir
    Path tmp;

    @Test
    void initWritesTheRegisteredNodeSettingsIntoAgentYml() throws Exception {
        TestAgents.Initialized agent = TestAgents.init(tmp.resolve("state"), "--sudo", "--nfo-home", "/opt/nfo # 'odd' home",
                "--nfo-service-unit", "nfo@main.service", "--flow-port", "2055", "--flow-port", "9995", "--listen-port", "7543");

        AgentConfig config = AgentConfig.load(agent.config());

        assertThat(config.nfo().home()).isEqualTo(Path.of("/opt/nfo # 'odd' home"));
        assertThat(config.nfo().serviceUnit()).isEqualTo("nfo@main.service");
        assertThat(config.nfo().flowInputPorts()).containsExactly(2055, 9995);
        assertThat(config.listen().port()).isEqualTo(7543);
    }

    @Test
    void withoutTheOptionsAgentYmlKeepsItsDefaults() throws Exception {
        AgentConfig config = AgentConfig.load(TestAgents.init(tmp.resolve("state")).config());

        assertThat(config.nfo().home()).isEqualTo(Path.of("/opt/flowintegrator"));
        assertThat(config.nfo().flowInputPorts()).containsExactly(9555);
        assertThat(config.listen().port()).isEqualTo(7443);
    }

    @Test
    void aFlowPortOutOfRangeIsAUsageError() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = AgentCommand.run(List.of("init", "--state-dir", tmp.resolve("s").toString(), "--flow-port", "70000"),
                new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true, StandardCharsets.UTF_8));

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--flow-port must be 1..65535");
    }

    @Test
    void initOutputMustEndWithTokenAndFingerprint() {
        assertThat(AgentPackage.InitOutput.parse("text\ntoken=abc\nfingerprint=sha256:01\n"))
                .isEqualTo(new AgentPackage.InitOutput("abc", "sha256:01"));
        assertThat(new AgentPackage.InitOutput("secret-token", "sha256:01").toString()).doesNotContain("secret-token");
        assertThatThrownBy(() -> AgentPackage.InitOutput.parse("token=abc\n")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AgentPackage.InitOutput.parse("fingerprint=x\ntoken=abc\n")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theInstalledFilesAreThePackagesOwn() throws Exception {
        assertThat(AgentPackage.unit()).isEqualTo(java.nio.file.Files.readString(Path.of("src/main/resources/io/tandem/agent/tandem-agent.service")))
                .contains("ExecStart=" + AgentPackage.JAVA + " ").contains(AgentPackage.JAR).contains(AgentPackage.CONFIG)
                .contains("User=" + AgentPackage.USER);
        assertThat(AgentPackage.sudoers()).contains(AgentPackage.USER + " ALL=(root) NOPASSWD:");
        assertThat(AgentPackage.setupScript()).contains("tandem_agent_setup()").contains(AgentPackage.STATE_DIR);
    }
}
