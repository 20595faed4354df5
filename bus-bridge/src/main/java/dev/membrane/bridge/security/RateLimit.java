package dev.membrane.bridge.security;

/**
 * A token bucket per connection: {@code perSecond} frames per second on average, bursts up to the same number.
 * Concurrency: used by one connection's listener, one frame at a time.
 */
public final class RateLimit {
    private final double perSecond;
    private double tokens;
    private long last;

    public RateLimit(double perSecond, long nowNanos) {
        this.perSecond = perSecond;
        this.tokens = perSecond;
        this.last = nowNanos;
    }

    /** Takes one token; false when the connection is over its rate. */
    public boolean take(long nowNanos) {
        tokens = Math.min(perSecond, tokens + (nowNanos - last) / 1e9 * perSecond);
        last = nowNanos;
        if (tokens < 1) {
            return false;
        }
        tokens -= 1;
        return true;
    }
}
