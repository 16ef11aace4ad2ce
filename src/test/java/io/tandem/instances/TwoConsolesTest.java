package io.tandem.instances;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import io.tandem.ConsoleApplication;
import io.tandem.alerts.Alerting;
import io.tandem.datastore.StandalonePostgres;
import io.tandem.demo.DemoLab;
import io.tandem.fleet.ClusterView;
import io.tandem.fleet.FleetService;
import io.tandem.monitor.Finding;
import io.tandem.monitor.NodeRole;
import io.tandem.monitor.PairStates;
import io.tandem.support.TcpCut;
import io.tandem.support.WebhookReceiver;

/**
 * Two consoles (two Spring contexts) on one real PostgreSQL: console B with the demo lab (its real agents), console A
 * reaching the database through a TCP path that the test cuts, as when A's machine dies or is cut off. They split the two demo pairs; a fault on A's pair shows on B's event stream
 * and is alerted once; after the cut, B reads A's pair within 10 s, marks A's running operation interrupted, shows
 * later changes on its stream, still alerts once, and keeps the login (and CSRF token) made on A.
 */
class TwoConsolesTest {

    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\"\\s+value=\"([^\"]+)\"|value=\"([^\"]+)\"\\s+name=\"_csrf\"");
    private static final Duration TAKEOVER = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    @Test
    void aSurvivorTakesOverTheDeadConsolesPairsAndEveryConsoleShowsTheSamePicture() throws Exception {
        String password = "two-consoles-" + UUID.randomUUID();
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        try (StandalonePostgres postgres = StandalonePostgres.start(dir.resolve("pg"));
             WebhookReceiver alerts = new WebhookReceiver("X-Tandem-Signature")) {
            List<String> shared = new ArrayList<>(postgres.consoleArguments());
            shared.addAll(List.of("--tandem.master-key=" + Base64.getEncoder().encodeToString(key),
                    "--tandem.instances.enabled=true", "--tandem.monitor.enabled=true", "--tandem.admin-password=" + password,
                    "--tandem.alerts.allow-local-targets=true", "--server.address=127.0.0.1",
                    "--logging.level.io.tandem.instances=INFO"));

            List<String> argsB = new ArrayList<>(shared);
            argsB.addAll(List.of("--logging.level.root=WARN", "--server.port=0", "--tandem.data-dir=" + dir.resolve("b"), "--tandem.demo.enabled=true",
                    "--tandem.instances.name=console-b"));
            try (ConfigurableApplicationContext b = new SpringApplication(ConsoleApplication.class).run(argsB.toArray(String[]::new))) {
                String baseB = "http://127.0.0.1:" + b.getEnvironment().getProperty("local.server.port");
                JdbcTemplate jdbc = b.getBean(JdbcTemplate.class);
                PairLeases leasesB = b.getBean(PairLeases.class);
                PairStates statesB = b.getBean(PairStates.class);
                DemoLab demo = b.getBean(DemoLab.class);
                List<ClusterView> pairs = b.getBean(FleetService.class).list();
                assertThat(pairs).hasSize(2);
                pairs.forEach(p -> b.getBean(Alerting.class).configure(p.id(), alerts.url(), null, true));

                // console A reaches the database through a path the test cuts: then A is gone for the others
                TcpCut pathOfA = new TcpCut(postgres.port());
                List<String> argsA = new ArrayList<>();
                shared.forEach(arg -> argsA.add(arg.startsWith("--spring.datasource.url=")
                        ? arg.replace(":" + postgres.port() + "/", ":" + pathOfA.port() + "/") : arg));
                argsA.addAll(List.of("--logging.level.root=WARN", "--server.port=0", "--tandem.data-dir=" + dir.resolve("a"),
                        "--tandem.instances.name=console-a", "--spring.datasource.hikari.pool-name=console-a"));
                ConfigurableApplicationContext a = new SpringApplication(ConsoleApplication.class).run(argsA.toArray(String[]::new));
                String baseA = "http://127.0.0.1:" + a.getEnvironment().getProperty("local.server.port");
                try {
                    await("the pairs split one and one", Duration.ofSeconds(30), () -> leasesB.owned().size() == 1
                            && jdbc.queryForObject("select count(distinct instance_id) from pair_lease", Integer.class) == 2);
                    UUID instanceA = jdbc.queryForObject("select id from console_instance where name = 'console-a'", UUID.class);
                    ClusterView pairA = pairs.stream().filter(p -> p.name().equals("demo-hot")).findFirst().orElseThrow();
                    if (leasesB.owns(pairA.id())) { // the faults below are a Hot pair's: hand A the Hot pair, B the Cold
                        jdbc.update("update pair_lease set instance_id = case when instance_id = ? then ? else ? end",
                                leasesB.id(), instanceA, leasesB.id());
                        await("the pairs swapped", Duration.ofSeconds(10), () -> !leasesB.owns(pairA.id()) && leasesB.owned().size() == 1);
                    }
                    await(pairA.name() + " healthy on B, read by A", Duration.ofSeconds(90), () -> healthy(statesB, pairA));

                    // a login made on A is a login on B; B's stream shows what A reads
                    Browser browser = Browser.login(baseA, "admin", password);
                    assertThat(browser.status(baseB + "/")).as("B knows A's session").isEqualTo(200);
                    String csrfFromA = browser.csrf(baseA + "/");
                    BlockingQueue<String> stream = browser.events(baseB + "/clusters/" + pairA.id() + "/events");

                    String passive = passiveOnceHealthy(statesB, pairA);
                    demo.inject(pairA.name(), passive, "open-gate");
                    await("B judges A's shared reading: split brain", Duration.ofSeconds(30), () -> splitBrain(statesB, pairA));
                    String activeNow = "data-node=\"" + passive + "\" data-role=\"" + NodeRole.ACTIVE + "\"";
                    await("B's stream shows it", Duration.ofSeconds(10), () -> stream.stream().anyMatch(data -> data.contains(activeNow)));
                    assertThat(countCritical(alerts, pairA, Duration.ofSeconds(30))).as("alerted once, by A").isEqualTo(1);
                    demo.heal();
                    await(pairA.name() + " healthy again", Duration.ofSeconds(60), () -> healthy(statesB, pairA));

                    // an operation A was running when it died
                    UUID operation = UUID.randomUUID();
                    jdbc.update("insert into operation (id, cluster_id, kind, node, status, requested_by, created_at, instance_id) "
                            + "values (?, ?, 'RESTART_NFO', ?, 'RUNNING', 'admin', now(), ?)", operation, pairA.id(), passive, instanceA);
                    jdbc.update("insert into operation_step (operation_id, position, name, status, started_at) "
                            + "values (?, 0, 'Restart NFO on " + passive + "', 'RUNNING', now())", operation);

                    pathOfA.cut(); // A is cut off: no lease given back, no goodbye
                    Instant killed = Instant.now();
                    await("B reads " + pairA.name() + " within " + TAKEOVER.toSeconds() + " s of the kill", TAKEOVER,
                            () -> leasesB.owns(pairA.id()) && readSince(statesB, pairA, killed));
                    await("A's operation interrupted by B", Duration.ofSeconds(10), () -> "INTERRUPTED".equals(
                            jdbc.queryForObject("select status from operation where id = ?", String.class, operation)));
                    assertThat(jdbc.queryForObject("select status from operation_step where operation_id = ?", String.class, operation))
                            .as("the journal keeps the step that was running").isEqualTo("FAILED");
                    assertThat(jdbc.queryForObject("select count(*) from pair_lease where instance_id = ?", Integer.class,
                            leasesB.id())).isEqualTo(2);
                    assertThat(a.getBean(PairLeases.class).owned()).as("A cut off stops reading by itself").isEmpty();

                    stream.clear();
                    String passiveNow = passiveOnceHealthy(statesB, pairA);
                    demo.inject(pairA.name(), passiveNow, "open-gate");
                    String activeLater = "data-node=\"" + passiveNow + "\" data-role=\"" + NodeRole.ACTIVE + "\"";
                    await("B's stream shows the survivor's own reading", Duration.ofSeconds(30), () -> splitBrain(statesB, pairA)
                            && stream.stream().anyMatch(data -> data.contains(activeLater)));
                    assertThat(countCritical(alerts, pairA, Duration.ofSeconds(30))).as("alerted once, by B").isEqualTo(1);
                    demo.heal();

                    assertThat(browser.status(baseB + "/")).as("the login outlives console A").isEqualTo(200);
                    assertThat(browser.post(baseB + "/logout", csrfFromA)).as("A's CSRF token is good on B")
                            .endsWith("/login?logout");
                } finally {
                    pathOfA.cut();
                    a.close();
                }
            }
        }
    }

    private static boolean healthy(PairStates states, ClusterView pair) {
        return states.state(pair.id()).map(s -> s.health().findings().isEmpty()
                && s.health().nodes().stream().anyMatch(n -> n.role() == NodeRole.ACTIVE)
                && s.health().nodes().stream().anyMatch(n -> n.role() == NodeRole.PASSIVE_HOT)).orElse(false);
    }

    private static boolean splitBrain(PairStates states, ClusterView pair) {
        return states.state(pair.id()).map(s -> s.health().findings().stream()
                .anyMatch(f -> f.kind() == Finding.Kind.SPLIT_BRAIN_OUTPUT)).orElse(false);
    }

    /**
     * The passive of a healthy judgement, read from that same judgement: a reading between two checks may find the
     * pair mid-change (a slow read on a loaded machine), so the check and the name come from one state.
     */
    private static String passiveOnceHealthy(PairStates states, ClusterView pair) throws InterruptedException {
        String[] passive = new String[1];
        await(pair.name() + " healthy with a passive", Duration.ofSeconds(60), () -> states.state(pair.id())
                .filter(s -> s.health().findings().isEmpty()
                        && s.health().nodes().stream().anyMatch(n -> n.role() == NodeRole.ACTIVE))
                .flatMap(s -> s.health().nodes().stream().filter(n -> n.role() == NodeRole.PASSIVE_HOT).findFirst())
                .map(n -> passive[0] = n.node()).isPresent());
        return passive[0];
    }

    /** Both nodes of the pair observed after {@code since}: read again, by the only console left. */
    private static boolean readSince(PairStates states, ClusterView pair, Instant since) {
        return states.state(pair.id()).map(s -> s.observations().values().stream()
                .allMatch(o -> o.reachable() && o.observedAt().isAfter(since))).orElse(false);
    }

    /** Critical alerts on the split brain of {@code pair} received within {@code wait}, whichever console sent them. */
    private static int countCritical(WebhookReceiver alerts, ClusterView pair, Duration wait) throws InterruptedException {
        int count = 0;
        long deadline = System.nanoTime() + wait.toNanos();
        while (System.nanoTime() < deadline) {
            WebhookReceiver.Call call = alerts.next(1);
            if (call != null && call.body().contains(pair.name())) {
                count += occurrences(call.body(), "\"finding\":\"split-brain-output\"", "\"kind\":\"critical\"");
            }
        }
        return count;
    }

    private static int occurrences(String body, String finding, String kind) {
        int count = 0;
        for (String event : body.split("\\},\\{")) {
            if (event.contains(finding) && event.contains(kind)) {
                count++;
            }
        }
        return count;
    }

    private static void await(String what, Duration limit, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + limit.toSeconds() + " s: " + what);
            }
            Thread.sleep(100);
        }
    }

    /** A browser's cookies across both consoles (cookies do not depend on the port): form login, pages, events. */
    private static final class Browser {

        private final HttpClient http = HttpClient.newBuilder().cookieHandler(new CookieManager())
                .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(10)).build();

        static Browser login(String base, String user, String password) throws Exception {
            Browser browser = new Browser();
            String token = browser.csrf(base + "/login");
            HttpResponse<Void> response = browser.http.send(HttpRequest.newBuilder(URI.create(base + "/login"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("username=" + encode(user) + "&password=" + encode(password)
                            + "&_csrf=" + encode(token))).build(), HttpResponse.BodyHandlers.discarding());
            assertThat(response.statusCode()).isEqualTo(302);
            assertThat(response.headers().firstValue("Location").orElse("")).doesNotContain("error");
            return browser;
        }

        String csrf(String url) throws Exception {
            String page = http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString()).body();
            Matcher token = CSRF.matcher(page);
            assertThat(token.find()).as("a CSRF token on " + url).isTrue();
            return token.group(1) != null ? token.group(1) : token.group(2);
        }

        int status(String url) throws Exception {
            return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        }

        /** Posts a form with the token; answers where it redirects to. */
        String post(String url, String csrf) throws Exception {
            HttpResponse<Void> response = http.send(HttpRequest.newBuilder(URI.create(url))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("_csrf=" + encode(csrf))).build(), HttpResponse.BodyHandlers.discarding());
            assertThat(response.statusCode()).as("POST " + url).isEqualTo(302);
            return response.headers().firstValue("Location").orElse("");
        }

        /** Each event's data as it arrives, read on a daemon thread. */
        BlockingQueue<String> events(String url) throws Exception {
            HttpResponse<Stream<String>> response = http.send(HttpRequest.newBuilder(URI.create(url))
                    .header("Accept", "text/event-stream").build(), HttpResponse.BodyHandlers.ofLines());
            assertThat(response.statusCode()).isEqualTo(200);
            BlockingQueue<String> events = new LinkedBlockingQueue<>();
            Thread reader = new Thread(() -> {
                StringBuilder data = new StringBuilder();
                try {
                    response.body().forEach(line -> {
                        if (line.isEmpty()) {
                            events.add(data.toString());
                            data.setLength(0);
                        } else if (line.startsWith("data:")) {
                            data.append(line.substring(5)).append('\n');
                        }
                    });
                } catch (RuntimeException closed) {
                    // the stream ended
                }
            }, "two-consoles-sse");
            reader.setDaemon(true);
            reader.start();
            return events;
        }

        private static String encode(String value) {
            return URLEncoder.encode(value, StandardCharsets.UTF_8);
        }
    }
}
