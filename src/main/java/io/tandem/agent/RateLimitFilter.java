package io.tandem.agent;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

import org.springframework.web.filter.OncePerRequestFilter;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * A token bucket per client address, in front of the token check, so guessing tokens or flooding the node's
 * tools costs the caller time. The console polls far below the limit.
 */
final class RateLimitFilter extends OncePerRequestFilter {

    /** Bounds the memory a spray of source addresses can take; clearing only forgives, it never blocks. */
    private static final int MAX_TRACKED_ADDRESSES = 10_000;

    private final int perSecond;
    private final LongSupplier nanoTime;
    private final Map<String, TokenBucket> buckets = new ConcurrentHashMap<>();

    RateLimitFilter(int perSecond, LongSupplier nanoTime) {
        this.perSecond = perSecond;
        this.nanoTime = nanoTime;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return perSecond == 0;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (buckets.size() > MAX_TRACKED_ADDRESSES) {
            buckets.clear();
        }
        // holds up to one second's worth of requests
        TokenBucket bucket = buckets.computeIfAbsent(request.getRemoteAddr(),
                address -> new TokenBucket(perSecond, perSecond, nanoTime.getAsLong()));
        if (!bucket.take(nanoTime.getAsLong())) {
            response.setHeader("Retry-After", "1");
            ProblemWriter.write(request, response, 429, "rate-limited", "Too many requests",
                    "More than " + perSecond + " requests per second from this address; slow down.");
            return;
        }
        chain.doFilter(request, response);
    }
}
