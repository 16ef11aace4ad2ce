package io.tandem.access.agent;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import io.tandem.agent.wire.AgentProtocol;
import io.tandem.agent.wire.CertificateFingerprint;
import io.tandem.agent.wire.HealthReport;
import io.tandem.node.NodeAccessException;

/**
 * The console's connection to one agent. Every call is HTTPS to the pinned certificate only, carries the
 * node's token, is bounded by {@link AgentClientSettings}, and fails only with a {@link NodeAccessException}.
 * One instance per node, kept for as long as the node is configured (it holds a connection pool).
 */
public final class AgentClient {

    /** Ends answers that stall after their headers (see {@link #readWithin}); one daemon thread for all clients. */
    private static final ScheduledExecutorService DEADLINES = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "agent-answer-deadline");
        thread.setDaemon(true);
        return thread;
    });

    private static final JsonMapper JSON = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES) // a newer agent may say more
            .build();

    private final String host;
    private final int port;
    private final String pin;
    private final String token;
    private final AgentClientSettings settings;
    private final HttpClient http;

    /**
     * @param pin the agent certificate's {@code sha256:<hex>} fingerprint; null before the admin confirmed one,
     *            in which case every call fails with {@link NodeAccessException.KeyRejected} naming what was presented
     */
    public AgentClient(String host, int port, String pin, String token, AgentClientSettings settings) {
        this.host = host;
        this.port = port;
        this.pin = pin == null ? null : CertificateFingerprint.normalize(pin);
        if (pin != null && this.pin == null) {
            throw new IllegalArgumentException("not a sha256 fingerprint: " + pin);
        }
        this.token = token;
        this.settings = settings;
        this.http = HttpClient.newBuilder()
                .sslContext(sslContext(new PinnedTrustManager(this.pin)))
                .connectTimeout(settings.connect())
                .followRedirects(HttpClient.Redirect.NEVER)
                .version(HttpClient.Version.HTTP_1_1)
                .build();
    }

    /**
     * Connects without trusting anything and returns the certificate the agent presents, for the admin to
     * compare with what {@code agent init} printed. The handshake is refused after the certificate is seen,
     * so no request (and no token) is ever sent to an unconfirmed peer.
     */
    public static PresentedCertificate probe(String host, int port, Duration timeout) throws NodeAccessException {
        int millis = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
        try (Socket raw = new Socket()) {
            raw.connect(new InetSocketAddress(host, port), millis);
            raw.setSoTimeout(millis);
            SSLContext context = sslContext(new PinnedTrustManager(null));
            try (SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(raw, host, port, false)) {
                tls.startHandshake();
            }
            throw new NodeAccessException.BadAnswer("the TLS handshake with " + host + ":" + port
                    + " succeeded without any certificate check; refusing to trust it", null);
        } catch (IOException e) {
            PinnedTrustManager.PinMismatch mismatch = find(e, PinnedTrustManager.PinMismatch.class);
            if (mismatch != null) {
                X509Certificate presented = mismatch.presented();
                return new PresentedCertificate(CertificateFingerprint.of(presented),
                        presented.getSubjectX500Principal().getName(), presented.getNotAfter().toInstant());
            }
            throw failure(e, host + ":" + port, timeout);
        }
    }

    /** {@code GET /v1/health}: the agent's version, uptime and identity. */
    public HealthReport health() throws NodeAccessException {
        return get(AgentProtocol.HEALTH, HealthReport.class);
    }

    /**
     * Subscribes to the agent's event stream. Returns once the stream is open; events then arrive on the
     * subscription's own thread. Reconnecting (with {@link EventSubscription#lastEventId()}) is the caller's
     * policy; {@link EventSubscription#done()} says when and why the stream ended.
     *
     * @param lastEventId resume after this event, or null for new events only
     */
    public EventSubscription events(String lastEventId, Consumer<AgentEvent> listener) throws NodeAccessException {
        HttpRequest.Builder request = request(AgentProtocol.EVENTS).header("Accept", "text/event-stream");
        if (lastEventId != null) {
            request.header(AgentProtocol.LAST_EVENT_ID, lastEventId);
        }
        long deadline = System.nanoTime() + settings.request().toNanos();
        HttpResponse<InputStream> response = send(request.build(), deadline);
        String contentType = response.headers().firstValue("Content-Type").orElse("");
        if (response.statusCode() != 200 || !contentType.startsWith("text/event-stream")) {
            throw refusal(response.statusCode(), contentType, readWithin(response.body(), deadline));
        }
        return EventSubscription.start(response.body(), lastEventId, listener, settings, JSON, authority());
    }

    /** GET a JSON resource into a record; the facts endpoints use this too. */
    <T> T get(String pathAndQuery, Class<T> type) throws NodeAccessException {
        return exchange(pathAndQuery, request(pathAndQuery).header("Accept", "application/json").GET().build(), type);
    }

    /** A mutating call: the body as JSON (null for none); the agent audits it. */
    <T> T post(String pathAndQuery, Object body, Class<T> type) throws NodeAccessException {
        byte[] json = body == null ? new byte[0] : JSON.writeValueAsBytes(body);
        return exchange(pathAndQuery, request(pathAndQuery).timeout(settings.operation()).header("Accept", "application/json")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(json)).build(), type, settings.operation());
    }

    private <T> T exchange(String pathAndQuery, HttpRequest httpRequest, Class<T> type) throws NodeAccessException {
        return exchange(pathAndQuery, httpRequest, type, settings.request());
    }

    private <T> T exchange(String pathAndQuery, HttpRequest httpRequest, Class<T> type, Duration within) throws NodeAccessException {
        long deadline = System.nanoTime() + within.toNanos();
        HttpResponse<InputStream> response = send(httpRequest, deadline, within);
        String contentType = response.headers().firstValue("Content-Type").orElse("");
        byte[] body = readWithin(response.body(), deadline);
        if (response.statusCode() / 100 != 2) {
            throw refusal(response.statusCode(), contentType, body);
        }
        try {
            return JSON.readValue(body, type);
        } catch (JacksonException e) {
            throw new NodeAccessException.BadAnswer("the agent at " + host + ":" + port + " answered " + pathAndQuery
                    + " with JSON that is not a " + type.getSimpleName() + ": " + e.getOriginalMessage(), e);
        }
    }

    private HttpRequest.Builder request(String pathAndQuery) {
        return HttpRequest.newBuilder(URI.create("https://" + authority() + pathAndQuery))
                .timeout(settings.request())
                .header("Authorization", "Bearer " + token);
    }

    private String authority() {
        boolean ipv6 = host.indexOf(':') >= 0 && !host.startsWith("[");
        return (ipv6 ? "[" + host + "]" : host) + ":" + port;
    }

    /**
     * Sends and waits for the response headers until the deadline, by our own clock: HttpClient's request timeout
     * was seen not to fire for a node cut off while its pooled connection was in use (readers waited minutes in
     * {@code send}), so the wait is bounded here and the exchange cancelled when it runs out.
     */
    private HttpResponse<InputStream> send(HttpRequest request, long deadlineNanos) throws NodeAccessException {
        return send(request, deadlineNanos, settings.request());
    }

    private HttpResponse<InputStream> send(HttpRequest request, long deadlineNanos, Duration within) throws NodeAccessException {
        CompletableFuture<HttpResponse<InputStream>> exchange = http.sendAsync(request, HttpResponse.BodyHandlers.ofInputStream());
        try {
            return exchange.get(Math.max(1, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            exchange.cancel(true);
            throw new NodeAccessException.TimedOut("the agent at " + authority() + " did not answer within " + io.tandem.node.Durations.words(within), e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw failure(io, authority(), within);
            }
            throw new NodeAccessException.BadAnswer("the request to the agent at " + authority() + " failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            exchange.cancel(true);
            Thread.currentThread().interrupt();
            throw new NodeAccessException.TimedOut("interrupted while waiting for the agent at " + authority(), e);
        }
    }

    /**
     * Reads the whole answer by the request's deadline. HttpClient's request timeout ends when the headers arrive; a
     * body that stalls after them (the node cut off mid-answer: no reset, just silence) would block the read until TCP
     * gives up many minutes later, holding a reader and the node's last picture with it. Closing the stream from
     * another thread is what unblocks such a read (an interrupt does not), so the deadline closes it.
     */
    private byte[] readWithin(InputStream in, long deadlineNanos) throws NodeAccessException {
        AtomicBoolean expired = new AtomicBoolean();
        ScheduledFuture<?> guard = DEADLINES.schedule(() -> {
            expired.set(true);
            closeQuietly(in);
        }, Math.max(1, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        try (in) {
            return readBounded(in);
        } catch (IOException e) {
            if (expired.get()) {
                throw new NodeAccessException.TimedOut("the agent at " + authority() + " did not finish its answer within "
                        + io.tandem.node.Durations.words(settings.request()), e);
            }
            throw failure(e, authority(), settings.request());
        } finally {
            guard.cancel(false);
        }
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException | RuntimeException e) {
            // closing is all that was wanted; the reader sees the stream end
        }
    }

    /** Reads at most maxAnswerBytes; more is a broken or hostile agent, not something to buffer. */
    private byte[] readBounded(InputStream in) throws IOException {
        byte[] body = in.readNBytes(settings.maxAnswerBytes() + 1);
        if (body.length > settings.maxAnswerBytes()) {
            throw new IOException(new SseReader.TooLarge(settings.maxAnswerBytes()));
        }
        return body;
    }

    /** The agent said no: 401 is our token, other 4xx its problem+json, anything else an answer we cannot use. */
    private NodeAccessException refusal(int status, String contentType, byte[] body) {
        String type = null;
        String detail = null;
        String reason = null;
        if (contentType.contains("json")) {
            try {
                JsonNode problem = JSON.readTree(body);
                type = problem.path("type").isString() ? problem.path("type").asString() : null;
                detail = problem.path("detail").isString() ? problem.path("detail").asString() : null;
                reason = problem.path("reason").isString() ? problem.path("reason").asString() : null;
            } catch (JacksonException e) {
                // not JSON after all: described by the status alone
            }
        }
        String text = "the agent at " + authority() + " answered HTTP " + status + (detail == null ? "" : ": " + detail);
        if (status == 401) {
            return new NodeAccessException.AuthRefused(text + " (check the node's agent token)", null);
        }
        if (status >= 400 && status < 500) {
            return new NodeAccessException.RequestRefused(status, type, reason, text);
        }
        if (status == 502 && AgentProtocol.problemType(AgentProtocol.NODE_UNREADABLE).equals(type)) {
            // the agent answers but cannot read its own node: keep the agent's cause
            return switch (String.valueOf(reason)) {
                case "unreachable" -> new NodeAccessException.Unreachable(text, null);
                case "timeout" -> new NodeAccessException.TimedOut(text, null);
                case "permission denied" -> new NodeAccessException.PermissionDenied(text, null);
                case "tool missing" -> new NodeAccessException.ToolMissing(text, null);
                default -> new NodeAccessException.BadAnswer(text, null);
            };
        }
        return new NodeAccessException.BadAnswer(text, null);
    }

    static NodeAccessException failure(IOException e, String where, Duration timeout) {
        PinnedTrustManager.PinMismatch mismatch = find(e, PinnedTrustManager.PinMismatch.class);
        if (mismatch != null) {
            return new NodeAccessException.KeyRejected(mismatch.expected(), CertificateFingerprint.of(mismatch.presented()));
        }
        if (find(e, HttpConnectTimeoutException.class) != null) {
            return new NodeAccessException.TimedOut("connecting to the agent at " + where + " took longer than " + io.tandem.node.Durations.words(timeout), e);
        }
        if (find(e, HttpTimeoutException.class) != null || find(e, SocketTimeoutException.class) != null) {
            return new NodeAccessException.TimedOut("the agent at " + where + " did not answer within " + io.tandem.node.Durations.words(timeout), e);
        }
        if (find(e, SseReader.TooLarge.class) != null) {
            return new NodeAccessException.BadAnswer("the agent at " + where + " sent more than the client accepts", e);
        }
        if (find(e, ConnectException.class) != null || find(e, NoRouteToHostException.class) != null
                || find(e, UnknownHostException.class) != null || find(e, UnresolvedAddressException.class) != null) {
            return new NodeAccessException.Unreachable("cannot connect to the agent at " + where + ": " + message(e), e);
        }
        if (find(e, SSLException.class) != null) {
            return new NodeAccessException.BadAnswer("TLS with " + where + " failed (is it a Tandem agent?): " + message(e), e);
        }
        return new NodeAccessException.Unreachable("connection to the agent at " + where + " failed: " + message(e), e);
    }

    private static <T extends Throwable> T find(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    private static String message(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t.getMessage() != null) {
                return t.getMessage();
            }
        }
        return e.getClass().getSimpleName();
    }

    private static SSLContext sslContext(TrustManager trust) {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {trust}, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("TLS is part of every JVM", e);
        }
    }
}
