package io.tandem.agent;

/** Holds up to {@code capacity} tokens and refills {@code perSecond} continuously; callers pass the clock. */
final class TokenBucket {

    private final double capacity;
    private final double perSecond;
    private double tokens;
    private long last;

    TokenBucket(double capacity, double perSecond, long nowNanos) {
        this.capacity = capacity;
        this.perSecond = perSecond;
        this.tokens = capacity;
        this.last = nowNanos;
    }

    synchronized boolean take(long nowNanos) {
        tokens = Math.min(capacity, tokens + (nowNanos - last) * perSecond / 1e9);
        last = nowNanos;
        if (tokens < 1) {
            return false;
        }
        tokens -= 1;
        return true;
    }
}
