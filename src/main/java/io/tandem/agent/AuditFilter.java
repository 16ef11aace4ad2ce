package io.tandem.agent;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import org.springframework.web.filter.OncePerRequestFilter;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import io.tandem.agent.wire.AgentProtocol;

/**
 * Writes an {@link AuditTrail} line, with its outcome, for every request that may change something (any method
 * but GET and HEAD), every failed authentication (whatever the method) and every read of a configuration file's
 * content. It runs outermost, so refused attempts (bad token, rate limit, too large) are recorded too.
 *
 * <p>Authenticated changes are always written. The other lines can be sent by anyone (or by a console reading
 * many files), so they share a small token bucket: a flood cannot fill the node's disk, and the next line written
 * says how many were left out.
 */
public final class AuditFilter extends OncePerRequestFilter {

    private static final int MAX_LOGGED_CHARS = 512;
    /** A burst of this many unauthenticated or read lines, then one a second: at most ~25 MB a day of flood. */
    static final int FLOOD_BURST = 60;
    static final double FLOOD_LINES_PER_SECOND = 1;

    private final AuditTrail trail;
    private final Clock clock;
    private final LongSupplier nanoTime;
    private final TokenBucket flood;
    private final AtomicLong suppressed = new AtomicLong();

    public AuditFilter(AuditTrail trail, Clock clock) {
        this(trail, clock, System::nanoTime);
    }

    AuditFilter(AuditTrail trail, Clock clock, LongSupplier nanoTime) {
        this.trail = trail;
        this.clock = clock;
        this.nanoTime = nanoTime;
        this.flood = new TokenBucket(FLOOD_BURST, FLOOD_LINES_PER_SECOND, nanoTime.getAsLong());
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Instant start = clock.instant();
        int status = HttpServletResponse.SC_INTERNAL_SERVER_ERROR;
        try {
            chain.doFilter(request, response);
            status = response.getStatus();
        } finally {
            audit(request, start, status);
        }
    }

    private void audit(HttpServletRequest request, Instant start, int status) {
        boolean authenticated = request.getAttribute(TokenFilter.TOKEN_ID) != null;
        boolean mutating = !"GET".equals(request.getMethod()) && !"HEAD".equals(request.getMethod());
        boolean failedAuth = status == HttpServletResponse.SC_UNAUTHORIZED;
        boolean fileRead = AgentProtocol.CONFIG_FILE.equals(request.getRequestURI());
        if (!mutating && !failedAuth && !fileRead) {
            return;
        }
        if (!(authenticated && mutating) && !flood.take(nanoTime.getAsLong())) {
            suppressed.incrementAndGet();
            return;
        }
        trail.append(new AuditTrail.Entry(start, request.getRemoteAddr(),
                (String) request.getAttribute(TokenFilter.TOKEN_ID), cut(request.getMethod()),
                cut(request.getRequestURI()), cut(request.getQueryString()), status,
                clock.millis() - start.toEpochMilli(), suppressed.getAndSet(0)));
    }

    /** Request lines are the caller's text: bounded, so a hostile request cannot bloat the log. */
    private static String cut(String text) {
        return text == null || text.length() <= MAX_LOGGED_CHARS ? text : text.substring(0, MAX_LOGGED_CHARS) + "...";
    }
}
