package io.tandem.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AgentConfigTest {

    @TempDir
    Path tmp;

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            port out of range      | listen: {port: 70000}\\nstate-dir: /var/lib/ta          | agent.yml: listen.port: must be 1..65535, got 70000
            port as text           | listen: {port: "7443"}\\nstate-dir: /var/lib/ta         | agent.yml: listen.port: must be a whole number, got text '7443'
            port as fraction       | listen: {port: 7443.5}\\nstate-dir: /var/lib/ta         | agent.yml: listen.port: must be a whole number, got 7443.5
            unknown key            | state-dir: /var/lib/ta\\nlisten: {prot: 7443}           | agent.yml: listen.prot: unknown key
            unknown top-level key  | state-dir: /var/lib/ta\\nlimts: {}                      | agent.yml: limts: unknown key
            relative state dir     | state-dir: var/lib/ta                                  | agent.yml: state-dir: must be an absolute path, got 'var/lib/ta'
            missing state dir      | listen: {port: 7443}                                   | agent.yml: state-dir: is required (the directory 'agent init --state-dir' created)
            syntax error           | state-dir: /var/lib/ta\\nlisten: [port: 1\\n            | agent.yml: line 3: not valid YAML
            section is a list      | state-dir: /var/lib/ta\\nlimits: [1, 2]                 | agent.yml: limits: must be a section of 'key: value' lines, got a list
            boolean as text        | state-dir: /var/lib/ta\\ntools: {sudo: maybe}           | agent.yml: tools.sudo: must be true or false, got text 'maybe'
            relative tool path     | state-dir: /var/lib/ta\\ntools: {paths: {nft: nft}}     | agent.yml: tools.paths.nft: must be an absolute path, got 'nft'
            flow port out of range | state-dir: /var/lib/ta\\nnfo: {flow-input-ports: [9555, 0]} | agent.yml: nfo.flow-input-ports[1]: must be 1..65535, got 0
            glob climbs out        | state-dir: /var/lib/ta\\nnfo: {config: {include: ['../etc/**']}} | agent.yml: nfo.config.include[0]: must be relative to the root and stay inside it
            bad glob               | state-dir: /var/lib/ta\\nnfo: {config: {include: ['server/{a']}} | agent.yml: nfo.config.include[0]: is not a valid glob
            unit injection         | state-dir: /var/lib/ta\\nnfo: {service-unit: '--now'}   | agent.yml: nfo.service-unit: must be a systemd unit name, got '--now'
            empty value            | state-dir: /var/lib/ta\\nlisten: {port: }               | agent.yml: listen.port: has no value
            duplicate key          | state-dir: /var/lib/ta\\nstate-dir: /tmp               | agent.yml: line 2: not valid YAML
            zero heartbeat         | state-dir: /var/lib/ta\\nevents: {heartbeat-seconds: 0} | agent.yml: events.heartbeat-seconds: must be 1..300, got 0
            watch too eager        | state-dir: /var/lib/ta\\nevents: {watch-millis: 10}    | agent.yml: events.watch-millis: must be 100..60000, got 10
            not a map              | just words                                             | agent.yml: must be a YAML map of 'key: value' lines
            state dir not created  | state-dir: /nonexistent/tandem-agent                   | agent.yml: state-dir: /nonexistent/tandem-agent does not exist; create it with 'agent init --state-dir /nonexistent/tandem-agent'
            """)
    void aBadConfigEndsWithOneLineNamingTheKeyAndExitCode2(String name, String yaml, String expected) throws Exception {
        Path file = tmp.resolve("agent.yml");
        Files.writeString(file, yaml.replace("\\n", "\n"));

        Run run = agent("--config", file.toString());

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err().lines().toList()).hasSize(1).first().asString().startsWith(expected);
        assertThat(run.out()).isEmpty();
    }

    @Test
    void aMissingFileIsOneLine() {
        Run run = agent("--config", tmp.resolve("agent.yml").toString());

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err().lines().toList()).hasSize(1).first().asString().startsWith("agent.yml: no such file (");
    }

    @Test
    void exposedStateIsRefused() throws Exception {
        TestAgents.Initialized agent = TestAgents.init(tmp.resolve("state"));
        Files.setPosixFilePermissions(agent.stateDir().resolve("keystore.password"), PosixFilePermissions.fromString("rw-r--r--"));

        Run run = agent("--config", agent.config().toString());

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("keystore.password is readable by group or others; chmod 600 it");
    }

    @Test
    void badPortOptionIsAUsageError() {
        Run run = agent("--config", "x.yml", "--port", "99999");

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).startsWith("agent: --port must be 1..65535, got '99999'");
    }

    @Test
    void onlyStateDirIsNeededEverythingElseHasADefault() throws Exception {
        AgentConfig config = AgentConfig.fromYaml("state-dir: /var/lib/tandem-agent\n");

        assertThat(config.listen()).isEqualTo(new AgentConfig.Listen("0.0.0.0", 7443));
        assertThat(config.nfo().serviceUnit()).isEqualTo("nfo.service");
        assertThat(config.nfo().configExclude()).contains("tomcat/conf/.tomcat_keystore");
        assertThat(config.limits().maxUploadBytes()).isEqualTo(64L * 1024 * 1024);
        assertThat(config.events().heartbeat()).isEqualTo(Duration.ofSeconds(15));
        assertThat(config.events().watchInterval()).isEqualTo(Duration.ofMillis(500));
        assertThat(config.tools().sudo()).isFalse();
        assertThat(config.withPort(9443).listen().port()).isEqualTo(9443);
    }

    private record Run(int exit, String out, String err) {
    }

    private static Run agent(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = AgentCommand.run(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
