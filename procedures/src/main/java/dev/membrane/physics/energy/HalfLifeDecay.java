package dev.membrane.physics.energy;

/**
 * SPEC §1.2: lazy exponential decay {@code x · 2^(−(now − at)/halfLife)}. Values decay on read; writers store the
 * decayed value with a new timestamp, so no background thread is needed for correctness.
 */
public record HalfLifeDecay(long halfLifeMs) {

    public HalfLifeDecay {
        if (halfLifeMs <= 0) {
            throw new IllegalArgumentException("halfLifeMs must be > 0, got " + halfLifeMs);
        }
    }

    /**
     * @param value the stored value
     * @param at    when it was stored (epoch ms)
     * @param now   the clock's now; a timestamp in the future (clock skew) decays nothing rather than growing
     */
    public double decay(double value, long at, long now) {
        long dt = now - at;
        if (dt <= 0 || value == 0) {
            return value;
        }
        return value * Math.pow(2.0, -(double) dt / halfLifeMs);
    }

    /** The decay factor alone, e.g. refractory charge r of a node that flipped at {@code at} (r = 1 then). */
    public double factor(long at, long now) {
        return decay(1.0, at, now);
    }
}
