package io.tandem.access.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import io.tandem.agent.RunningAgent;
import io.tandem.agent.TestAgents;
import io.tandem.agent.wire.AgentProtocol;
import io.tandem.node.NodeAccessException;
import tools.jackson.databind.JsonNode;

/** The agent's configuration endpoints over real HTTPS, against a real NFO home on disk. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AgentConfigFilesTest {

    @TempDir
    static Path work;

    private Path home;
    private RunningAgent agent;
    private TestAgents.Initialized initialized;
    private AgentClient client;

    @BeforeAll
    void start() throws Exception {
        home = Files.createDirectories(work.resolve("nfo"));
        Files.createDirectories(home.resolve("server/etc"));
        Files.writeString(home.resolve("server/etc/server.cfg"), "LISTEN_PORT 9555\n");
        Files.writeString(work.resolve("outside.txt"), "secret");
        Files.createSymbolicLink(home.resolve("server/etc/escape.cfg"), work.resolve("outside.txt"));
        initialized = TestAgents.init(work.resolve("state"));
        agent = TestAgents.start(TestAgents.writeConfig(initialized, """
                nfo:
                  home: '%s'
                  service-unit: nfo.service
                  config:
                    include: ["server/etc/**"]
                    exclude: ["**/*.log"]
                  flow-input-ports: [9555]
                """.formatted(home)));
        client = new AgentClient("127.0.0.1", agent.port(), initialized.fingerprint(), initialized.token(),
                AgentClientSettings.defaults());
    }

    @AfterAll
    void stop() {
        agent.close();
    }

    @Test
    void theManifestListsEveryConfigFileWithItsHashAndNeverFollowsALinkOut() throws Exception {
        JsonNode manifest = client.get(AgentProtocol.CONFIG_MANIFEST, JsonNode.class);
        assertThat(manifest.get("files").toString()).contains("server/etc/server.cfg").contains(sha256("LISTEN_PORT 9555\n"));
        assertThat(manifest.get("files").toString()).doesNotContain("escape.cfg");
        assertThat(manifest.get("skipped").toString()).contains("escape.cfg");
    }

    @Test
    void requestsThatLeaveTheRootsAreRefusedWithAProblem() {
        for (String path : List.of("../outside.txt", "/etc/passwd", "server/etc/escape.cfg", "server/etc/../../outside.txt")) {
            assertThatThrownBy(() -> client.get(AgentProtocol.CONFIG_FILE + "?path=" + java.net.URLEncoder.encode(path, StandardCharsets.UTF_8),
                    JsonNode.class))
                    .as(path)
                    .isInstanceOfSatisfying(NodeAccessException.RequestRefused.class, refused -> {
                        assertThat(refused.status()).isIn(400, 403);
                        assertThat(refused.type()).startsWith("urn:tandem:agent:problem:config-");
                    });
        }
    }

    @Test
    void aChangeIsStagedVerifiedCommittedWithABackupAndRolledBack() throws Exception {
        Path cfg = home.resolve("server/etc/server.cfg");
        String original = Files.readString(cfg);
        String changed = "LISTEN_PORT 2055\n";

        // a wrong hash refuses the whole change
        assertThatThrownBy(() -> client.post(AgentProtocol.CONFIG_CHANGES + "/bad-hash", Map.of("files", List.of(
                Map.of("path", "server/etc/server.cfg", "bytes", changed.getBytes(StandardCharsets.UTF_8), "expectedSha256", sha256("other"))))
                , JsonNode.class))
                .isInstanceOfSatisfying(NodeAccessException.RequestRefused.class, e -> assertThat(e.status()).isEqualTo(422));
        assertThat(Files.readString(cfg)).isEqualTo(original);

        client.post(AgentProtocol.CONFIG_CHANGES + "/c1", Map.of("files", List.of(
                Map.of("path", "server/etc/server.cfg", "bytes", changed.getBytes(StandardCharsets.UTF_8), "expectedSha256", sha256(changed)))),
                JsonNode.class);
        assertThat(Files.readString(cfg)).as("staging changes nothing yet").isEqualTo(original);
        JsonNode commit = client.post(AgentProtocol.CONFIG_CHANGES + "/c1/commit", null, JsonNode.class);
        assertThat(Files.readString(cfg)).isEqualTo(changed);
        String backup = commit.get("backupId").asString();

        client.post(AgentProtocol.CONFIG_BACKUPS + "/" + backup + "/rollback", null, JsonNode.class);
        assertThat(Files.readString(cfg)).isEqualTo(original);
        assertThat(Files.readString(initialized.stateDir().resolve("audit.jsonl"))).contains("/v1/config/changes/c1/commit");
    }

    private static String sha256(String text) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    }
}
