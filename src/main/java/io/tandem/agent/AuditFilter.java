package io.tandem.agent;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;

import org.springframework.web.filter.OncePerRequestFilter;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Writes an {@link AuditTrail} line for every request that may change something (any method but GET and
 * HEAD), with its outcome. It runs outermost, so refused attempts (bad token, rate limit, too large) are
 * recorded too.
 */
public final class AuditFilter extends OncePerRequestFilter {

    private static final int MAX_LOGGED_CHARS = 512;

    private final AuditTrail trail;
    private final Clock clock;

    public AuditFilter(AuditTrail trail, Clock clock) {
        this.trail = trail;
        this.clock = clock;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String method = request.getMethod();
        return "GET".equals(method) || "HEAD".equals(method);
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
            trail.append(new AuditTrail.Entry(start, request.getRemoteAddr(),
                    (String) request.getAttribute(TokenFilter.TOKEN_ID), cut(request.getMethod()),
                    cut(request.getRequestURI()), cut(request.getQueryString()), status,
                    clock.millis() - start.toEpochMilli()));
        }
    }

    /** Request lines are the caller's text: bounded, so a hostile request cannot bloat the log. */
    private static String cut(String text) {
        return text == null || text.length() <= MAX_LOGGED_CHARS ? text : text.substring(0, MAX_LOGGED_CHARS) + "...";
    }
}
