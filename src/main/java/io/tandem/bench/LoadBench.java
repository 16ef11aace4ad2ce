package io.tandem.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Load on the console in one JVM: the console with the demo lab and {@code --pairs} simulated pairs (see
 * {@link BenchConsole}), {@code --sessions} logged-in browser sessions and {@code --api-clients} API clients with a
 * bearer token, all over real HTTP on 127.0.0.1 for {@code --seconds}. Each browser session keeps one event stream
 * open (every other one the fleet's, the rest a random pair's) and loops, without pause, over the overview, a random
 * pair's page and its health fragment; each API client loops over the cluster list and a random pair's state. Prints
 * figures per kind of request after a short warm-up; asserts nothing.
 * <pre>java -jar tandem.jar bench load [--sessions 200] [--api-clients 20] [--pairs 100] [--seconds 60] [--logins-at-once 4]</pre>
 */
public final class LoadBench {

    private static final Duration HTTP_TIMEOUT = Duration.ofSeconds(30);
    private static final int REASONS_KEPT = 3;
    /** Threads doing the HTTP clients' own work (the senders wait on them); the senders are one thread per client. */
    private static final int CLIENT_IO_THREADS = 8;
    private static final Pattern TOKEN = Pattern.compile("\"token\"\\s*:\\s*\"([^\"]+)\"");

    private LoadBench() {
    }

    record Options(int sessions, int apiClients, int pairs, int seconds, int loginsAtOnce) {
    }

    enum Kind {
        OVERVIEW("GET /"), PAIR_PAGE("GET /clusters/{id}"), PAIR_HEALTH("GET /clusters/{id}/health"),
        API_CLUSTERS("GET /api/v1/clusters"), API_STATE("GET /api/v1/clusters/{id}/state");

        final String label;

        Kind(String label) {
            this.label = label;
        }
    }

    /**
     * What one kind of request saw: latencies of the successful ones, errors with their first reasons. Requests
     * started before {@code from} are the warm-up and not counted.
     */
    private static final class Tally {
        private final long from;
        private final List<Double> millis = Collections.synchronizedList(new ArrayList<>());
        private final AtomicLong errors = new AtomicLong();
        private final List<String> reasons = Collections.synchronizedList(new ArrayList<>());

        Tally(long from) {
            this.from = from;
        }

        void ok(long startedNanos) {
            if (startedNanos >= from) {
                millis.add((System.nanoTime() - startedNanos) / 1e6);
            }
        }

        void failed(long startedNanos, String reason) {
            if (startedNanos < from) {
                return;
            }
            errors.incrementAndGet();
            synchronized (reasons) {
                if (reasons.size() < REASONS_KEPT) {
                    reasons.add(reason);
                }
            }
        }
    }

    public static int run(List<String> args, PrintStream out, PrintStream err) {
        Options options;
        try {
            options = parse(args);
        } catch (IllegalArgumentException e) {
            err.println("bench load: " + e.getMessage());
            err.println("usage: bench load [--sessions N] [--api-clients N] [--pairs N] [--seconds N] [--logins-at-once N]");
            return 2;
        }
        try {
            measure(options, out);
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("bench load: interrupted");
            return 1;
        } catch (Exception e) {
            err.println("bench load: " + e);
            return 1;
        }
    }

    static Options parse(List<String> args) {
        Map<String, Integer> values = BenchConsole.options(args,
                Map.of("--sessions", 200, "--api-clients", 20, "--pairs", 100, "--seconds", 60, "--logins-at-once", 4));
        return new Options(values.get("--sessions"), values.get("--api-clients"), values.get("--pairs"), values.get("--seconds"),
                values.get("--logins-at-once"));
    }

    private static void measure(Options options, PrintStream out) throws Exception {
        try (BenchConsole console = BenchConsole.start("load", out)) {
            console.simulate(options.pairs());
            List<UUID> pairs = console.fleet().list().stream().map(c -> c.id()).toList();
            String base = console.base();
            ExecutorService io = Executors.newFixedThreadPool(CLIENT_IO_THREADS, daemon("bench-load-io"));
            ExecutorService clients = Executors.newFixedThreadPool(options.sessions() + options.apiClients(), daemon("bench-load-client"));
            try {
                long t0 = System.nanoTime();
                List<ConsoleSession> sessions = login(options.sessions(), options.loginsAtOnce(), base, console.adminPassword(), io);
                out.printf(Locale.ROOT, "%d pairs registered; %d browser sessions logged in (%d at a time) in %d s%n", pairs.size(),
                        sessions.size(), Math.min(options.loginsAtOnce(), options.sessions()),
                        Duration.ofNanos(System.nanoTime() - t0).toSeconds());
                List<BooleanSupplier> streams = new ArrayList<>();
                AtomicLong events = new AtomicLong();
                for (int i = 0; i < sessions.size(); i++) {
                    String path = i % 2 == 0 ? "/fleet/events" : "/clusters/" + pick(pairs) + "/events";
                    streams.add(sessions.get(i).subscribe(path, event -> events.incrementAndGet()));
                }
                HttpClient api = HttpClient.newBuilder().connectTimeout(HTTP_TIMEOUT).executor(io).build();
                String token = mint(api, base, console.adminPassword());

                // a warm-up first (templates, JIT, pools), as on a console that has been running; not counted
                long warmUp = TimeUnit.SECONDS.toNanos(Math.min(10, Math.max(1, options.seconds() / 6)));
                long started = System.nanoTime() + warmUp;
                Map<Kind, Tally> tallies = new EnumMap<>(Kind.class);
                for (Kind kind : Kind.values()) {
                    tallies.put(kind, new Tally(started));
                }
                long deadline = started + TimeUnit.SECONDS.toNanos(options.seconds());
                out.printf(Locale.ROOT, "%d event streams open; %d sessions and %d API clients for %d s after a %d s warm-up ...%n",
                        count(streams), sessions.size(), options.apiClients(), options.seconds(), TimeUnit.NANOSECONDS.toSeconds(warmUp));
                List<Future<?>> running = new ArrayList<>();
                for (ConsoleSession session : sessions) {
                    running.add(clients.submit(() -> browse(session, pairs, tallies, deadline)));
                }
                for (int i = 0; i < options.apiClients(); i++) {
                    running.add(clients.submit(() -> callApi(api, base, token, pairs, tallies, deadline)));
                }
                for (Future<?> client : running) {
                    client.get(options.seconds() + TimeUnit.NANOSECONDS.toSeconds(warmUp) + HTTP_TIMEOUT.toSeconds() * 2, TimeUnit.SECONDS);
                }
                // requests still under way at the deadline finish and count: the wall runs until the last one
                double wall = (System.nanoTime() - started) / 1e9;
                report(tallies, wall, out);
                out.printf(Locale.ROOT, "event streams still open at the end: %d of %d (%d events received); "
                                + "system load average %.1f on %d cores (the console and its clients share the machine)%n",
                        count(streams), streams.size(), events.get(),
                        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(), Runtime.getRuntime().availableProcessors());
            } finally {
                clients.shutdownNow();
                io.shutdownNow();
            }
        }
    }

    /**
     * Logs the sessions in, {@code atOnce} at a time: each login checks a password hash (slow on purpose; the console
     * checks one per core at a time and queues the rest). A login refused is an error of the bench.
     */
    private static List<ConsoleSession> login(int count, int atOnce, String base, String password, ExecutorService io) throws Exception {
        // the first login of a fresh console draws its first pages and compiles its code: on a busy machine that alone
        // can take longer than a request's timeout, so it gets the settling time and is not one of the sessions
        ConsoleSession.login(base, "admin", password, BenchConsole.SETTLE_TIMEOUT, io);
        ExecutorService arrivals = Executors.newFixedThreadPool(Math.min(atOnce, count), daemon("bench-load-login"));
        try {
            List<Future<ConsoleSession>> logins = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                logins.add(arrivals.submit(() -> ConsoleSession.login(base, "admin", password, HTTP_TIMEOUT, io)));
            }
            List<ConsoleSession> sessions = new ArrayList<>();
            for (Future<ConsoleSession> login : logins) {
                sessions.add(login.get(BenchConsole.SETTLE_TIMEOUT.toSeconds(), TimeUnit.SECONDS));
            }
            return sessions;
        } finally {
            arrivals.shutdownNow();
        }
    }

    private static String mint(HttpClient api, String base, String password) throws IOException, InterruptedException {
        String basic = Base64.getEncoder().encodeToString(("admin:" + password).getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> response = api.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/tokens")).timeout(HTTP_TIMEOUT)
                .header("Authorization", "Basic " + basic).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\": \"bench load\", \"expiresInDays\": 1}")).build(),
                HttpResponse.BodyHandlers.ofString());
        Matcher token = TOKEN.matcher(response.body());
        if (response.statusCode() != 201 || !token.find()) {
            throw new IOException("minting an API token: HTTP " + response.statusCode());
        }
        return token.group(1);
    }

    private static void browse(ConsoleSession session, List<UUID> pairs, Map<Kind, Tally> tallies, long deadline) {
        while (System.nanoTime() < deadline) {
            UUID pair = pick(pairs);
            page(session, "/", tallies.get(Kind.OVERVIEW));
            page(session, "/clusters/" + pair, tallies.get(Kind.PAIR_PAGE));
            page(session, "/clusters/" + pair + "/health", tallies.get(Kind.PAIR_HEALTH));
        }
    }

    private static void page(ConsoleSession session, String path, Tally tally) {
        long t0 = System.nanoTime();
        try {
            session.get(path);
            tally.ok(t0);
        } catch (IOException | RuntimeException e) {
            tally.failed(t0, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            tally.failed(t0, "interrupted");
        }
    }

    private static void callApi(HttpClient api, String base, String token, List<UUID> pairs, Map<Kind, Tally> tallies,
                                long deadline) {
        while (System.nanoTime() < deadline && !Thread.currentThread().isInterrupted()) {
            call(api, base + "/api/v1/clusters", token, tallies.get(Kind.API_CLUSTERS));
            call(api, base + "/api/v1/clusters/" + pick(pairs) + "/state", token, tallies.get(Kind.API_STATE));
        }
    }

    private static void call(HttpClient api, String url, String token, Tally tally) {
        long t0 = System.nanoTime();
        try {
            HttpResponse<byte[]> response = api.send(HttpRequest.newBuilder(URI.create(url)).timeout(HTTP_TIMEOUT)
                    .header("Authorization", "Bearer " + token).header("Accept", "application/json").GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() / 100 == 2) {
                tally.ok(t0);
            } else {
                tally.failed(t0, "HTTP " + response.statusCode() + " from " + URI.create(url).getPath());
            }
        } catch (IOException | RuntimeException e) {
            tally.failed(t0, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            tally.failed(t0, "interrupted");
        }
    }

    private static void report(Map<Kind, Tally> tallies, double wallSeconds, PrintStream out) {
        long total = 0;
        for (Map.Entry<Kind, Tally> entry : tallies.entrySet()) {
            Tally tally = entry.getValue();
            List<Double> millis = List.copyOf(tally.millis);
            long requests = millis.size() + tally.errors.get();
            total += requests;
            out.printf(Locale.ROOT, "%-32s %7d requests, %4d errors, %6.1f req/s; p50 %5.0f ms, p95 %5.0f ms, p99 %5.0f ms, max %5.0f ms%n",
                    entry.getKey().label, requests, tally.errors.get(), requests / wallSeconds,
                    BenchConsole.percentile(millis, 0.50), BenchConsole.percentile(millis, 0.95),
                    BenchConsole.percentile(millis, 0.99), BenchConsole.percentile(millis, 1.0));
            for (String reason : List.copyOf(tally.reasons)) {
                out.println("    error: " + reason);
            }
        }
        out.printf(Locale.ROOT, "all requests: %d in %.1f s, %.1f req/s (target: 0 errors, p95 < 500 ms for pages and < 200 ms for the API)%n",
                total, wallSeconds, total / wallSeconds);
    }

    private static long count(List<BooleanSupplier> streams) {
        return streams.stream().filter(BooleanSupplier::getAsBoolean).count();
    }

    private static UUID pick(List<UUID> pairs) {
        return pairs.get(ThreadLocalRandom.current().nextInt(pairs.size()));
    }

    private static java.util.concurrent.ThreadFactory daemon(String prefix) {
        AtomicLong next = new AtomicLong();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + "-" + next.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
