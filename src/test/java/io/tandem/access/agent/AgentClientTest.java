package io.tandem.access.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.sql.DataSource;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import io.tandem.agent.RunningAgent;
import io.tandem.agent.TestAgents;
import io.tandem.agent.wire.AgentProtocol;
import io.tandem.agent.wire.HealthReport;
import io.tandem.node.NodeAccessException;

/** The console's client against a real agent (HTTPS, filters, event stream) started in this JVM. */
class AgentClientTest {

    private static final AgentClientSettings FAST = new AgentClientSettings(
            Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(5), 1024 * 1024);

    @TempDir
    static Path tmp;
    static TestAgents.Initialized init;
    static RunningAgent agent;
    static AgentClient client;

    @BeforeAll
    static void start() throws Exception {
        init = TestAgents.init(tmp.resolve("state"));
        agent = TestAgents.start(TestAgents.writeConfig(init, """
                limits:
                  max-upload-bytes: 1024
                  max-requests-per-second: 0
                events:
                  heartbeat-seconds: 1
                """));
        client = new AgentClient("127.0.0.1", agent.port(), init.fingerprint(), init.token(), FAST);
    }

    @AfterAll
    static void stop() {
        if (agent != null) {
            agent.close();
        }
    }

    @Test
    void healthOverHttpsWithThePinnedCertificate() throws Exception {
        HealthReport health = client.health();

        assertThat(health.status()).isEqualTo("UP");
        assertThat(health.certificateFingerprint()).isEqualTo(init.fingerprint());
        assertThat(health.stateDirOk()).isTrue();
        assertThat(health.hostName()).isNotBlank();
        assertThat(health.version()).isNotBlank();
        assertThat(health.uptimeSeconds()).isNotNegative();
    }

    @Test
    void probeShowsTheFingerprintInitPrinted() throws Exception {
        PresentedCertificate presented = AgentClient.probe("127.0.0.1", agent.port(), Duration.ofSeconds(2));

        assertThat(presented.fingerprint()).isEqualTo(init.fingerprint());
        assertThat(presented.subject()).contains("O=Tandem agent");
    }

    @Test
    void aDifferentCertificateIsAKeyChangeNotAnSslError() {
        String wrongPin = "sha256:" + "ab".repeat(32);
        AgentClient wrong = new AgentClient("127.0.0.1", agent.port(), wrongPin, init.token(), FAST);

        assertThatThrownBy(wrong::health).isInstanceOfSatisfying(NodeAccessException.KeyRejected.class, e -> {
            assertThat(e.expected()).isEqualTo(wrongPin);
            assertThat(e.presented()).isEqualTo(init.fingerprint());
            assertThat(e.reason()).isEqualTo("key changed");
        });
    }

    @Test
    void withoutAPinEveryCallNamesThePresentedCertificateAndSendsNothing() {
        AgentClient unpinned = new AgentClient("127.0.0.1", agent.port(), null, init.token(), FAST);

        assertThatThrownBy(unpinned::health).isInstanceOfSatisfying(NodeAccessException.KeyRejected.class, e -> {
            assertThat(e.notPinnedYet()).isTrue();
            assertThat(e.presented()).isEqualTo(init.fingerprint());
        });
    }

    @Test
    void aWrongTokenIsAuthRefused() {
        AgentClient wrongToken = new AgentClient("127.0.0.1", agent.port(), init.fingerprint(), "tagent_wrong", FAST);

        assertThatThrownBy(wrongToken::health).isInstanceOf(NodeAccessException.AuthRefused.class);
    }

    @Test
    void noTokenGets401ProblemJson() throws Exception {
        HttpResponse<String> response = trustingHttp().send(HttpRequest.newBuilder(uri(AgentProtocol.HEALTH)).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/problem+json");
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
        assertThat(problemType(response.body())).isEqualTo("urn:tandem:agent:problem:unauthenticated");
    }

    @Test
    void anUnknownPathIsRequestRefusedWithTheAgentsProblemType() {
        assertThatThrownBy(() -> client.get("/v1/no-such-thing", JsonNode.class))
                .isInstanceOfSatisfying(NodeAccessException.RequestRefused.class, e -> {
                    assertThat(e.status()).isEqualTo(404);
                    assertThat(e.type()).isEqualTo("urn:tandem:agent:problem:not-found");
                });
    }

    @Test
    void plainHttpIsRefused() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", agent.port())) {
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET /v1/health HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + init.token()
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String answer = new String(readAll(socket.getInputStream()), StandardCharsets.ISO_8859_1);

            assertThat(answer).doesNotContain("200").doesNotContain("certificateFingerprint");
        }
    }

    @Test
    void anOversizedBodyIs413AndTheAttemptIsAudited() throws Exception {
        HttpResponse<String> response = trustingHttp().send(HttpRequest.newBuilder(uri("/v1/health"))
                        .header("Authorization", "Bearer " + init.token())
                        .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[4096])).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(response.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/problem+json");
        assertThat(problemType(response.body())).isEqualTo("urn:tandem:agent:problem:payload-too-large");
        assertThat(auditLineContaining("\"method\":\"POST\"")).contains(
                "\"path\":\"/v1/health\"", "\"status\":413", "\"client\":\"127.0.0.1\"");
    }

    @Test
    void aMutatingCallOnAReadOnlyResourceIs405ProblemAndAudited() throws Exception {
        HttpResponse<String> response = trustingHttp().send(HttpRequest.newBuilder(uri("/v1/health"))
                        .header("Authorization", "Bearer " + init.token())
                        .DELETE().build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(405);
        assertThat(problemType(response.body())).isEqualTo("urn:tandem:agent:problem:method-not-allowed");
        assertThat(auditLineContaining("\"method\":\"DELETE\"")).contains("\"status\":405", "\"token\":\"sha256:");
    }

    @Test
    void aPublishedEventReachesTheSubscriberAndLastEventIdResumes() throws Exception {
        BlockingQueue<AgentEvent> received = new LinkedBlockingQueue<>();
        String resumeFrom;
        try (EventSubscription subscription = client.events(null, received::add)) {
            agent.events().publish("service.state", Map.of("unit", "nfo.service", "state", "active"));

            AgentEvent event = received.poll(5, TimeUnit.SECONDS);
            assertThat(event).isNotNull();
            assertThat(event.type()).isEqualTo("service.state");
            assertThat(event.payload().path("state").asString()).isEqualTo("active");
            assertThat(event.time()).isNotNull();
            assertThat(subscription.lastEventId()).isEqualTo(event.id());
            resumeFrom = subscription.lastEventId();
        }

        agent.events().publish("gate.changed", Map.of("open", false));
        agent.events().publish("gate.changed", Map.of("open", true));

        received.clear();
        try (EventSubscription resumed = client.events(resumeFrom, received::add)) {
            AgentEvent first = received.poll(5, TimeUnit.SECONDS);
            AgentEvent second = received.poll(5, TimeUnit.SECONDS);
            assertThat(first.payload().path("open").asBoolean()).isFalse();
            assertThat(second.payload().path("open").asBoolean()).isTrue();
            assertThat(resumed.isOpen()).isTrue();
            resumed.close();
            resumed.done().get(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void heartbeatsKeepAnIdleStreamAlive() throws Exception {
        AgentClientSettings patientForTwoSeconds = new AgentClientSettings(
                Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(2), 1024 * 1024);
        AgentClient watching = new AgentClient("127.0.0.1", agent.port(), init.fingerprint(), init.token(), patientForTwoSeconds);
        try (EventSubscription subscription = watching.events(null, event -> { })) {
            Thread.sleep(3500); // longer than eventsIdle: only the 1 s heartbeats keep it open
            assertThat(subscription.isOpen()).isTrue();
        }
    }

    @Test
    void nothingListeningIsUnreachable() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        AgentClient nobody = new AgentClient("127.0.0.1", closedPort, init.fingerprint(), init.token(), FAST);

        assertThatThrownBy(nobody::health).isInstanceOf(NodeAccessException.Unreachable.class);
        assertThatThrownBy(() -> AgentClient.probe("127.0.0.1", closedPort, Duration.ofSeconds(1)))
                .isInstanceOf(NodeAccessException.Unreachable.class);
    }

    @Test
    void aPeerThatNeverAnswersIsTimedOut() throws Exception {
        try (ServerSocket silent = new ServerSocket(0)) { // accepts (backlog) but never speaks TLS
            AgentClientSettings short_ = new AgentClientSettings(
                    Duration.ofMillis(500), Duration.ofMillis(500), Duration.ofSeconds(1), 1024 * 1024);
            AgentClient stuck = new AgentClient("127.0.0.1", silent.getLocalPort(), init.fingerprint(), init.token(), short_);

            assertThatThrownBy(stuck::health).isInstanceOf(NodeAccessException.TimedOut.class);
            assertThatThrownBy(() -> AgentClient.probe("127.0.0.1", silent.getLocalPort(), Duration.ofMillis(500)))
                    .isInstanceOf(NodeAccessException.TimedOut.class);
        }
    }

    /**
     * A node cut off mid-answer sends no reset, only silence: the headers came, the body never ends. The request's
     * deadline covers the whole answer, so the read ends as TimedOut instead of holding the caller for many minutes.
     */
    @Test
    void anAnswerThatStallsAfterItsHeadersIsTimedOut() throws Exception {
        KeyStore keyStore = KeyStore.getInstance("PKCS12");
        char[] password = Files.readString(init.stateDir().resolve("keystore.password")).strip().toCharArray();
        try (InputStream in = Files.newInputStream(init.stateDir().resolve("keystore.p12"))) {
            keyStore.load(in, password);
        }
        javax.net.ssl.KeyManagerFactory keys = javax.net.ssl.KeyManagerFactory.getInstance(
                javax.net.ssl.KeyManagerFactory.getDefaultAlgorithm());
        keys.init(keyStore, password);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(keys.getKeyManagers(), null, null);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        try (ServerSocket server = tls.getServerSocketFactory().createServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            Thread stalling = new Thread(() -> {
                try (Socket socket = server.accept()) {
                    socket.getInputStream().read(new byte[4096]);
                    OutputStream out = socket.getOutputStream();
                    out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"version\":")
                            .getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    release.await(60, TimeUnit.SECONDS);
                } catch (Exception e) {
                    // the client gave up and closed: what the test wants
                }
            }, "stalling-agent");
            stalling.setDaemon(true);
            stalling.start();
            AgentClientSettings oneSecond = new AgentClientSettings(
                    Duration.ofSeconds(2), Duration.ofSeconds(1), Duration.ofSeconds(5), 1024 * 1024);
            AgentClient client = new AgentClient("127.0.0.1", server.getLocalPort(), init.fingerprint(), init.token(), oneSecond);

            // a guard against the old behaviour (blocking until TCP gives up), not a speed target
            org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(Duration.ofSeconds(30), () ->
                    assertThatThrownBy(client::health).isInstanceOf(NodeAccessException.TimedOut.class)
                            .hasMessageContaining("did not finish its answer within 1 s"));
        } finally {
            release.countDown();
        }
    }

    @Test
    void theAgentStartsNoDatabaseJpaFlywayThymeleafSecurityOrConsoleConfig() throws Exception {
        var context = agent.context();
        assertThat(context.getBeanNamesForType(DataSource.class)).isEmpty();
        for (String type : List.of("jakarta.persistence.EntityManagerFactory", "org.flywaydb.core.Flyway",
                "org.thymeleaf.ITemplateEngine", "org.springframework.security.web.SecurityFilterChain",
                "org.springdoc.core.properties.SpringDocConfigProperties")) {
            assertThat(context.getBeanNamesForType(Class.forName(type))).as(type).isEmpty();
        }
        assertThat(context.getBeansWithAnnotation(org.springframework.web.bind.annotation.RestController.class).values())
                .as("only the agent's own endpoints").allSatisfy(controller ->
                        assertThat(controller.getClass().getPackageName()).isEqualTo("io.tandem.agent.api"));
        assertThat(context.getEnvironment().getProperty("spring.jpa.open-in-view"))
                .as("the console's application.yml must not be loaded").isNull();
        assertThat(context.getEnvironment().getProperty("spring.application.name")).isEqualTo("tandem-agent");
    }

    /** The audit line is appended when the filter chain unwinds, just after the answer went out. */
    private static String auditLineContaining(String text) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline) {
            for (String line : Files.readAllLines(init.stateDir().resolve("audit.jsonl"))) {
                if (line.contains(text)) {
                    return line;
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no audit line containing " + text);
    }

    private static URI uri(String path) {
        return URI.create("https://localhost:" + agent.port() + path);
    }

    /** A plain JDK client trusting the agent's certificate the ordinary way (it names localhost). */
    private static HttpClient trustingHttp() throws Exception {
        return HttpClient.newBuilder().sslContext(TestAgents.trustingTls(init)).version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(2)).build();
    }

    private static String problemType(String body) {
        return JsonMapper.builder().build().readTree(body).path("type").asString();
    }

    private static byte[] readAll(InputStream in) {
        try {
            return in.readAllBytes();
        } catch (java.io.IOException e) {
            return new byte[0]; // the server may reset the connection: that is a refusal too
        }
    }
}
