package dev.membrane.bridge.security;

/**
 * A token bucket per connection, counted in envelopes (SPEC §11: a frame of 500 envelopes costs 500): {@code perSecond}
 * on average, bursts up to the same number. Concurrency: used by one connection's listener, one frame at a time.
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
        return take(1, nowNanos);
    }

    /** Takes {@code n} tokens (one per envelope of a frame); false, taking none, when the connection is over its rate. */
    public boolean take(int n, long nowNanos) {
        tokens = Math.min(perSecond, tokens + (nowNanos - last) / 1e9 * perSecond);
        last = nowNanos;
        if (tokens < n) {
            return false;
        }
        tokens -= n;
        return true;
    }
}
