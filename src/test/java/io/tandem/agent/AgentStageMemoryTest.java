package io.tandem.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.tandem.access.agent.AgentClient;
import io.tandem.agent.wire.AgentProtocol;
import io.tandem.lab.bench.AgentProcess;

/**
 * The agent in its own JVM with the production flags ({@code -Xmx64m}) stages a change of 63 MB, just under
 * {@code limits.max-upload-bytes}: the upload goes to disk as it arrives, so the agent neither runs out of memory
 * nor keeps anything but the verified files.
 */
class AgentStageMemoryTest {

    /** Three files just under the 16 MiB per-file limit: 47.5 MB raw, 63.3 MB as base64 JSON. */
    private static final int[] SIZES = {16_000_000, 16_000_000, 15_500_000};

    @TempDir
    Path tmp;

    @Test
    void aStageNearTheUploadLimitSucceedsInA64MegabyteHeapAndKeepsTheExactBytes() throws Exception {
        Path home = Files.createDirectories(tmp.resolve("nfo/server/etc")).getParent().getParent();
        TestAgents.Initialized init = TestAgents.init(tmp.resolve("state"));
        Path config = TestAgents.writeConfig(init, """
                nfo:
                  home: '%s'
                  config:
                    include: ["server/etc/**"]
                limits:
                  max-requests-per-second: 0
                """.formatted(home));
        Path body = tmp.resolve("stage.json");
        List<String> hashes = writeStageBody(body);
        assertThat(Files.size(body)).as("a body just under the 64 MiB upload limit")
                .isBetween(63_000_000L, 64L * 1024 * 1024);
        int port = freePort();

        try (AgentProcess agent = AgentProcess.start(config, port, tmp.resolve("agent.log"))) {
            AgentClient client = new AgentClient("127.0.0.1", port, init.fingerprint(), init.token(), AgentProcess.pollingSettings());
            agent.awaitHealthy(client, Duration.ofSeconds(120));
            HttpClient http = HttpClient.newBuilder().sslContext(TestAgents.trustingTls(init))
                    .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

            HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                            URI.create("https://localhost:" + port + AgentProtocol.CONFIG_CHANGES + "/big-change"))
                    .header("Authorization", "Bearer " + init.token())
                    .header("Content-Type", "application/json")
                    .timeout(Duration.ofMinutes(5))
                    .POST(HttpRequest.BodyPublishers.ofFile(body)).build(), HttpResponse.BodyHandlers.ofString());

            assertThat(response.statusCode()).as(response.body() + "\n" + Files.readString(tmp.resolve("agent.log")))
                    .isEqualTo(200);
            assertThat(response.body()).contains("server/etc/big-0.bin", "server/etc/big-1.bin", "server/etc/big-2.bin");
            Path staged = home.resolve(".tandem/staging/big-change/files/server/etc");
            for (int i = 0; i < SIZES.length; i++) {
                Path file = staged.resolve("big-" + i + ".bin");
                assertThat(Files.size(file)).isEqualTo(SIZES[i]);
                assertThat(sha256(file)).isEqualTo(hashes.get(i));
            }
            assertThat(home.resolve(".tandem/staging/big-change/uploads")).as("scratch files moved, not copied").doesNotExist();
            assertThat(agent.isAlive()).isTrue();
            assertThat(client.health().status()).isEqualTo("UP");
            assertThat(Files.readString(tmp.resolve("agent.log"))).doesNotContain("OutOfMemoryError");
        }
    }

    /** Streams the JSON to disk (the test JVM need not hold it either); returns each file's SHA-256. */
    private static List<String> writeStageBody(Path body) throws IOException {
        Random random = new Random(42);
        byte[] chunk = new byte[1 << 20];
        List<String> hashes = new ArrayList<>();
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(body), 1 << 16)) {
            out.write("{\"files\": [".getBytes(StandardCharsets.US_ASCII));
            for (int i = 0; i < SIZES.length; i++) {
                out.write(((i == 0 ? "" : ", ") + "{\"path\": \"server/etc/big-" + i + ".bin\", \"bytes\": \"")
                        .getBytes(StandardCharsets.US_ASCII));
                MessageDigest digest = MessageDigest.getInstance("SHA-256");
                try (OutputStream base64 = Base64.getEncoder().wrap(new FilterOutputStream(out) {
                    @Override
                    public void write(byte[] b, int off, int len) throws IOException {
                        out.write(b, off, len);
                    }

                    @Override
                    public void close() {
                        // the JSON continues after this file
                    }
                })) {
                    for (int left = SIZES[i]; left > 0; left -= chunk.length) {
                        random.nextBytes(chunk);
                        int n = Math.min(left, chunk.length);
                        digest.update(chunk, 0, n);
                        base64.write(chunk, 0, n);
                    }
                }
                String hash = HexFormat.of().formatHex(digest.digest());
                hashes.add(hash);
                out.write(("\", \"expectedSha256\": \"" + hash + "\"}").getBytes(StandardCharsets.US_ASCII));
            }
            out.write("]}".getBytes(StandardCharsets.US_ASCII));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        return hashes;
    }

    private static String sha256(Path file) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        try (var in = Files.newInputStream(file)) {
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) >= 0; ) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
