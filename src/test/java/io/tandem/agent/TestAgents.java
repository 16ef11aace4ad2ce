package io.tandem.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** Creates agent state the way an operator does ({@code agent init}) and starts agents on it for tests. */
public final class TestAgents {

    /** What {@code agent init} printed, and where. */
    public record Initialized(Path stateDir, String token, String fingerprint, List<String> output) {
        public Path config() {
            return stateDir.resolve(AgentState.CONFIG);
        }
    }

    private TestAgents() {
    }

    public static Initialized init(Path stateDir, String... extraArgs) {
        List<String> args = new ArrayList<>(List.of("init", "--state-dir", stateDir.toString()));
        args.addAll(List.of(extraArgs));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = AgentCommand.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(exit).as("agent init exit code; stderr: %s", err).isZero();
        List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
        AgentPackage.InitOutput printed = AgentPackage.InitOutput.parse(out.toString(StandardCharsets.UTF_8));
        return new Initialized(stateDir, printed.token(), printed.fingerprint(), lines);
    }

    /** A config on loopback with the given YAML sections replacing the defaults (e.g. small limits). */
    public static Path writeConfig(Initialized agent, String extraYaml) throws IOException {
        Path file = agent.stateDir().resolve("test-agent.yml");
        Files.writeString(file, """
                listen:
                  address: 127.0.0.1
                state-dir: '%s'
                %s
                """.formatted(agent.stateDir(), extraYaml));
        return file;
    }

    /** Starts an agent in this JVM on a free port. */
    public static RunningAgent start(Path configFile) throws ConfigException {
        AgentConfig config = AgentConfig.load(configFile).withPort(0);
        return AgentApplication.start(config, AgentState.load(config.stateDir()));
    }

    /**
     * Starts an agent that reads the node from a {@code RecordedNode}'s scripts in {@code bin} (systemctl, nft, crm_mon,
     * cibadmin), with no packet capture.
     */
    public static RunningAgent startOnRecordedNode(Initialized agent, Path bin) throws IOException, ConfigException {
        return start(writeConfig(agent, """
                tools:
                  paths:
                    systemctl: '%1$s/systemctl'
                    nft: '%1$s/nft'
                    crm_mon: '%1$s/crm_mon'
                    cibadmin: '%1$s/cibadmin'
                capture:
                  source: none
                """.formatted(bin)));
    }

    /** TLS trusting this agent's certificate the ordinary way (it names localhost), for plain JDK clients. */
    public static SSLContext trustingTls(Initialized agent) throws Exception {
        KeyStore keyStore = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(agent.stateDir().resolve("keystore.p12"))) {
            keyStore.load(in, Files.readString(agent.stateDir().resolve("keystore.password")).strip().toCharArray());
        }
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("agent", keyStore.getCertificate("agent"));
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        return context;
    }
}
