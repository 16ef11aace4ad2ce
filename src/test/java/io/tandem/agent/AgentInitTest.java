package io.tandem.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentInitTest {

    @TempDir
    Path tmp;

    @Test
    void initCreatesPrivateStateAndEndsWithTokenAndFingerprintLines() throws Exception {
        Path dir = tmp.resolve("state");
        TestAgents.Initialized agent = TestAgents.init(dir, "--host", "nfo-a.example.net", "--host", "10.1.2.3");

        List<String> out = agent.output();
        assertThat(out.get(out.size() - 2)).matches("token=tagent_[A-Za-z0-9_-]{43}");
        assertThat(out.get(out.size() - 1)).matches("fingerprint=sha256:[0-9a-f]{64}");
        assertThat(String.join("\n", out)).contains("shown this once").contains(agent.fingerprint());

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwx------");
        for (String name : List.of("keystore.p12", "keystore.password", "token.sha256", "agent.yml", "audit.jsonl")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(name))))
                    .as(name).isEqualTo("rw-------");
        }

        X509Certificate cert = keystoreCertificate(dir);
        String der = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(cert.getEncoded()));
        assertThat(agent.fingerprint()).isEqualTo("sha256:" + der);
        assertThat(cert.getPublicKey().getAlgorithm()).isEqualTo("EC");
        List<String> sans = cert.getSubjectAlternativeNames().stream().map(san -> String.valueOf(san.get(1))).toList();
        assertThat(sans).contains("localhost", "127.0.0.1", "nfo-a.example.net", "10.1.2.3")
                .containsAnyOf("0:0:0:0:0:0:0:1", "::1");
        assertThat(cert.getNotAfter().toInstant()).isAfter(cert.getNotBefore().toInstant().plusSeconds(3650L * 86400 - 86400));

        String storedHash = Files.readString(dir.resolve("token.sha256")).strip();
        assertThat(storedHash).isEqualTo(HexFormat.of().formatHex(
                MessageDigest.getInstance("SHA-256").digest(agent.token().getBytes(StandardCharsets.UTF_8))));
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.toList()) {
                assertThat(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1)).as(file.toString())
                        .doesNotContain(agent.token());
            }
        }
    }

    @Test
    void theWrittenAgentYmlWorksAsItIs() throws Exception {
        TestAgents.Initialized agent = TestAgents.init(tmp.resolve("state dir # odd"));

        AgentConfig config = AgentConfig.load(agent.config());

        assertThat(config.stateDir()).isEqualTo(agent.stateDir());
        assertThat(config.listen()).isEqualTo(new AgentConfig.Listen("0.0.0.0", 7443));
        assertThat(config.nfo().home()).isEqualTo(Path.of("/opt/flowintegrator"));
        assertThat(config.nfo().flowInputPorts()).containsExactly(9555);
        assertThat(config.tools().paths()).isEqualTo(AgentConfig.defaultToolPaths());
        assertThat(AgentState.load(config.stateDir()).fingerprint()).isEqualTo(agent.fingerprint());
    }

    @Test
    void thePackagesSudoersAllowsExactlyTheToolsAgentInitWrites() throws Exception {
        String sudoers = Files.readString(Path.of("src/main/resources/io/tandem/agent/tandem-agent.sudoers")).replace("\\\n", " ");
        String alias = sudoers.lines().filter(line -> line.startsWith("Cmnd_Alias TANDEM_AGENT_TOOLS")).findFirst().orElseThrow();
        List<String> allowed = Stream.of(alias.substring(alias.indexOf('=') + 1).split(","))
                .map(String::strip).sorted().toList();
        List<String> written = AgentConfig.defaultToolPaths().entrySet().stream()
                .filter(tool -> !tool.getKey().equals("sudo")).map(tool -> tool.getValue().toString()).sorted().toList();

        assertThat(allowed).isEqualTo(written);
    }

    @Test
    void sudoWritesAConfigWhoseToolsRunThroughSudoAsThePackagesUnitNeeds() throws Exception {
        TestAgents.Initialized plain = TestAgents.init(tmp.resolve("plain"));
        TestAgents.Initialized packaged = TestAgents.init(tmp.resolve("packaged"), "--sudo");

        assertThat(AgentConfig.load(plain.config()).tools().sudo()).isFalse();
        assertThat(AgentConfig.load(packaged.config()).tools().sudo()).isTrue();
    }

    @Test
    void refusesToOverwriteAnExistingStateWithoutForce() throws Exception {
        Path dir = tmp.resolve("state");
        TestAgents.Initialized first = TestAgents.init(dir);
        byte[] keystore = Files.readAllBytes(dir.resolve("keystore.p12"));

        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = AgentCommand.run(List.of("init", "--state-dir", dir.toString()), new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err, true, StandardCharsets.UTF_8));

        assertThat(exit).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("already holds an agent").contains("--force");
        assertThat(Files.readAllBytes(dir.resolve("keystore.p12"))).isEqualTo(keystore);

        TestAgents.Initialized second = TestAgents.init(dir, "--force");
        assertThat(second.token()).isNotEqualTo(first.token());
        assertThat(second.fingerprint()).isNotEqualTo(first.fingerprint());
    }

    @Test
    void importsAnExistingPkcs12InsteadOfMakingACertificate() throws Exception {
        TestAgents.Initialized source = TestAgents.init(tmp.resolve("source"));
        Path passwordFile = source.stateDir().resolve("keystore.password");

        TestAgents.Initialized imported = TestAgents.init(tmp.resolve("imported"),
                "--pkcs12", source.stateDir().resolve("keystore.p12").toString(), "--pkcs12-password-file", passwordFile.toString());

        assertThat(imported.fingerprint()).isEqualTo(source.fingerprint());
        assertThat(Files.readString(imported.stateDir().resolve("keystore.password")))
                .as("the imported key gets its own store password").isNotEqualTo(Files.readString(passwordFile));
        assertThat(AgentState.load(imported.stateDir()).fingerprint()).isEqualTo(source.fingerprint());
    }

    private static X509Certificate keystoreCertificate(Path dir) throws Exception {
        KeyStore keyStore = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(dir.resolve("keystore.p12"))) {
            keyStore.load(in, Files.readString(dir.resolve("keystore.password")).strip().toCharArray());
        }
        return (X509Certificate) keyStore.getCertificate("agent");
    }
}
