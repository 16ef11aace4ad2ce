package io.tandem.bench;

import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** A browser's side of the console over real HTTP: form login with the CSRF token, pages, and server-sent events. */
final class ConsoleSession {

    /** One server-sent event as it arrived, stamped with {@link System#nanoTime()} when its last line was read. */
    record Event(long arrivedNanos, String name, String data) {
    }

    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\"\\s+value=\"([^\"]+)\"|value=\"([^\"]+)\"\\s+name=\"_csrf\"");

    private final String base;
    private final Duration timeout;
    private final HttpClient http;

    private ConsoleSession(String base, Duration timeout, Executor executor) {
        this.base = base;
        this.timeout = timeout;
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(timeout).cookieHandler(new CookieManager())
                .followRedirects(HttpClient.Redirect.NEVER);
        this.http = (executor == null ? builder : builder.executor(executor)).build();
    }

    static ConsoleSession login(String base, String user, String password, Duration timeout) throws IOException, InterruptedException {
        return login(base, user, password, timeout, null);
    }

    /** As {@link #login(String, String, String, Duration)}, the client's work on {@code executor} (many sessions, few threads). */
    static ConsoleSession login(String base, String user, String password, Duration timeout, Executor executor)
            throws IOException, InterruptedException {
        ConsoleSession session = new ConsoleSession(base, timeout, executor);
        String page = session.get("/login");
        Matcher token = CSRF.matcher(page);
        if (!token.find()) {
            throw new IOException("the login page carries no CSRF token");
        }
        String csrf = token.group(1) != null ? token.group(1) : token.group(2);
        String form = "username=" + encode(user) + "&password=" + encode(password) + "&_csrf=" + encode(csrf);
        HttpResponse<Void> response = session.http.send(HttpRequest.newBuilder(URI.create(base + "/login")).timeout(timeout)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.discarding());
        String location = response.headers().firstValue("Location").orElse("");
        if (response.statusCode() != 302 || location.contains("error")) {
            throw new IOException("login refused: HTTP " + response.statusCode() + " to " + location);
        }
        return session;
    }

    /** A page's HTML; anything but 200 is an error. */
    String get(String path) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(timeout).GET().build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        if (response.statusCode() != 200) {
            throw new IOException("GET " + path + ": HTTP " + response.statusCode());
        }
        return response.body();
    }

    /** Subscribes to an event stream; events land in the returned queue as they arrive, on a reader thread. */
    BlockingQueue<Event> events(String path) throws IOException, InterruptedException {
        BlockingQueue<Event> events = new LinkedBlockingQueue<>();
        subscribe(path, events::add);
        return events;
    }

    /**
     * Subscribes to an event stream; each event goes to {@code sink} as it arrives, on a reader thread. The answer
     * says whether the stream is still open.
     */
    BooleanSupplier subscribe(String path, Consumer<Event> sink) throws IOException, InterruptedException {
        HttpResponse<Stream<String>> response = http.send(HttpRequest.newBuilder(URI.create(base + path))
                .header("Accept", "text/event-stream").GET().build(), HttpResponse.BodyHandlers.ofLines());
        if (response.statusCode() != 200) {
            throw new IOException("GET " + path + ": HTTP " + response.statusCode());
        }
        AtomicBoolean open = new AtomicBoolean(true);
        Thread reader = new Thread(() -> {
            try {
                read(response.body(), sink);
            } finally {
                open.set(false);
            }
        }, "bench-sse-reader");
        reader.setDaemon(true);
        reader.start();
        return open::get;
    }

    private static void read(Stream<String> lines, Consumer<Event> sink) {
        try {
            readEvents(lines, sink);
        } catch (java.io.UncheckedIOException closed) {
            // the console stopped or the stream was closed: no more events
        }
    }

    private static void readEvents(Stream<String> lines, Consumer<Event> sink) {
        String[] name = {"message"};
        StringBuilder data = new StringBuilder();
        lines.forEach(line -> {
            if (line.isEmpty()) {
                if (!data.isEmpty()) {
                    sink.accept(new Event(System.nanoTime(), name[0], data.toString()));
                }
                name[0] = "message";
                data.setLength(0);
            } else if (line.startsWith("event:")) {
                name[0] = line.substring(6).strip();
            } else if (line.startsWith("data:")) {
                data.append(line.substring(5)).append('\n');
            }
        });
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
