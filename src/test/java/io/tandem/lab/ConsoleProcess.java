package io.tandem.lab;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The console as operators run it: {@code java -jar target/tandem.jar} in its own process, on a free loopback port,
 * with its own data directory and the database it is given, driven only over HTTP (the REST API with a bearer token,
 * the web pages with a logged-in session where the API has no endpoint, e.g. pinning a node's key). It can be killed
 * with SIGKILL and started again on the same data directory and database.
 */
final class ConsoleProcess implements AutoCloseable {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\"\\s+value=\"([^\"]+)\"|value=\"([^\"]+)\"\\s+name=\"_csrf\"");
    private static final Duration START_LIMIT = Duration.ofSeconds(240);

    private final Path dataDir;
    private final List<String> settings;
    private final Path log;
    private final int port;
    private final String password;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private Process process;
    private String token;

    /**
     * @param settings Spring options beside the port, data dir and admin password (the database, the monitor, ...)
     */
    ConsoleProcess(Path dataDir, List<String> settings) throws IOException {
        this.dataDir = dataDir;
        this.settings = List.copyOf(settings);
        this.log = dataDir.resolveSibling(dataDir.getFileName() + ".log");
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0)) {
            this.port = probe.getLocalPort();
        }
        this.password = "Fault-" + java.util.UUID.randomUUID();
    }

    /** Starts the console and waits until it answers (its readiness: the database and the monitor are up). */
    void start() throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xmx384m", "-jar", PacemakerLab.JAR.toString(),
                "--server.port=" + port, "--server.address=127.0.0.1", "--tandem.data-dir=" + dataDir,
                "--tandem.admin-password=" + password));
        command.addAll(settings);
        Files.createDirectories(dataDir);
        process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        long deadline = System.nanoTime() + START_LIMIT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("the console exited with " + process.exitValue() + "; its log:\n" + tail());
            }
            try {
                HttpResponse<String> health = http.send(HttpRequest.newBuilder(uri("/actuator/health"))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                if (health.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(500);
        }
        throw new AssertionError("the console did not answer within " + START_LIMIT + "; its log:\n" + tail());
    }

    /** SIGKILL: no shutdown hook, no orderly close, as a crash or an OOM killer would end it. */
    void kill9() throws InterruptedException {
        ProcessHandle handle = process.toHandle();
        handle.destroyForcibly(); // SIGKILL on Linux
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new AssertionError("the console survived SIGKILL");
        }
    }

    long pid() {
        return process.pid();
    }

    /** The last lines of the console's log, for a failure's message. */
    String tail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    String log() throws IOException {
        return Files.readString(log);
    }

    @Override
    public void close() throws Exception {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // the REST API, as automation uses it
    // ---------------------------------------------------------------------------------------------------------

    /** Mints the admin's API token with HTTP Basic (the one place the API takes a password). */
    void mintToken() throws Exception {
        String basic = Base64.getEncoder().encodeToString(("admin:" + password).getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> minted = http.send(HttpRequest.newBuilder(uri("/api/v1/tokens"))
                .header("Authorization", "Basic " + basic).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\": \"fault-matrix\", \"expiresInDays\": 1}"))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        if (minted.statusCode() != 201) {
            throw new AssertionError("minting a token: HTTP " + minted.statusCode() + " " + minted.body());
        }
        token = JSON.readTree(minted.body()).get("token").asString();
    }

    HttpResponse<String> call(String method, String path, Object body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).header("Authorization", "Bearer " + token)
                .timeout(Duration.ofSeconds(30));
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** An API call that must succeed (2xx); its JSON body. */
    JsonNode api(String method, String path, Object body) throws Exception {
        HttpResponse<String> response = call(method, path, body);
        if (response.statusCode() / 100 != 2) {
            throw new AssertionError(method + " " + path + ": HTTP " + response.statusCode() + " " + response.body());
        }
        return response.body().isEmpty() ? JSON.nullNode() : JSON.readTree(response.body());
    }

    JsonNode get(String path) throws Exception {
        return api("GET", path, null);
    }

    /** One server-sent event: its name and data, and when it arrived ({@link System#nanoTime()}). */
    record Event(String name, JsonNode data, long arrivedNanos) {
    }

    /**
     * Opens the API's event stream (health changes of every pair) and reads it on its own thread into the queue
     * returned; the stream needs the database only to check the token when it opens.
     */
    BlockingQueue<Event> events() throws Exception {
        // the console answers with the headers and a comment at once, so the subscription is known to be open
        HttpResponse<InputStream> response = http.sendAsync(HttpRequest.newBuilder(uri("/api/v1/events"))
                        .header("Authorization", "Bearer " + token).header("Accept", "text/event-stream").build(),
                HttpResponse.BodyHandlers.ofInputStream()).get(30, TimeUnit.SECONDS);
        if (response.statusCode() != 200) {
            throw new AssertionError("the event stream: HTTP " + response.statusCode());
        }
        BlockingQueue<Event> events = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                String name = null;
                StringBuilder data = new StringBuilder();
                for (String line; (line = lines.readLine()) != null; ) {
                    if (line.startsWith("event:")) {
                        name = line.substring(6).strip();
                    } else if (line.startsWith("data:")) {
                        data.append(line.substring(5).strip());
                    } else if (line.isEmpty() && !data.isEmpty()) {
                        events.add(new Event(name, JSON.readTree(data.toString()), System.nanoTime()));
                        name = null;
                        data.setLength(0);
                    }
                }
            } catch (IOException | RuntimeException ended) {
                // the console went away or the test is over
            }
        }, "console-events");
        reader.setDaemon(true);
        reader.start();
        return events;
    }

    // ---------------------------------------------------------------------------------------------------------
    // the web pages, where the API has no endpoint
    // ---------------------------------------------------------------------------------------------------------

    /**
     * Pins a node's key or certificate fingerprint as an admin does on the pair page after comparing it (log in with
     * the form, post the pin form with its CSRF token).
     */
    void pin(String clusterId, String nodeId, String fingerprint) throws Exception {
        HttpClient browser = HttpClient.newBuilder().cookieHandler(new CookieManager()).connectTimeout(Duration.ofSeconds(5))
                .followRedirects(HttpClient.Redirect.NORMAL).build();
        String login = browser.send(HttpRequest.newBuilder(uri("/login")).build(), HttpResponse.BodyHandlers.ofString()).body();
        HttpResponse<String> loggedIn = browser.send(form(uri("/login"), Map.of("username", "admin", "password", password,
                "_csrf", csrf(login))), HttpResponse.BodyHandlers.ofString());
        if (loggedIn.statusCode() != 200 || loggedIn.uri().getPath().startsWith("/login")) {
            throw new AssertionError("login failed: HTTP " + loggedIn.statusCode() + " at " + loggedIn.uri());
        }
        String page = browser.send(HttpRequest.newBuilder(uri("/clusters/" + clusterId)).build(), HttpResponse.BodyHandlers.ofString()).body();
        HttpResponse<String> pinned = browser.send(form(uri("/clusters/" + clusterId + "/nodes/" + nodeId + "/pin"),
                Map.of("fingerprint", fingerprint, "_csrf", csrf(page))), HttpResponse.BodyHandlers.ofString());
        if (pinned.statusCode() != 200) {
            throw new AssertionError("pinning " + nodeId + ": HTTP " + pinned.statusCode());
        }
    }

    private static HttpRequest form(URI uri, Map<String, String> fields) {
        String body = fields.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
        return HttpRequest.newBuilder(uri).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)).timeout(Duration.ofSeconds(60)).build();
    }

    private static String csrf(String html) {
        Matcher m = CSRF.matcher(html);
        if (!m.find()) {
            throw new AssertionError("no CSRF token in the page");
        }
        return m.group(1) != null ? m.group(1) : m.group(2);
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }
}
