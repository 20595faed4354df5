package dev.membrane.physics.health;

/**
 * SPEC §6.5 health modulation f(ρ): a crowded engine (many active nodes) gets a smaller budget, a dormant one a
 * larger. Before warm-up a prior line; afterwards a non-increasing isotonic fit of frame quality against ρ, learned
 * from the engine's own injections, retrained every {@code retrainEvery} samples on the last {@code window}.
 */
public record HealthModulation(HealthParams params) {

    public double rho(long activeCount) {
        return (double) activeCount / params.activeTarget();
    }

    /**
     * f(ρ) now: the prior until trained, then clamp(fMin + q̂(ρ), fMin, fMax) — SPEC's clamp(0.5 + q̂, 0.5, 1.5) at the
     * defaults, with the offset tied to the lower clamp so one setting moves both; never NaN (ρ clamped to the fitted
     * range).
     */
    public double factor(HealthState state, double rho) {
        double f = state.trained()
                ? params.fMin() + IsotonicRegression.evaluate(state.fit(), rho)
                : params.fMax() - params.priorSlope() * rho;
        return Math.max(params.fMin(), Math.min(params.fMax(), f));
    }

    /**
     * Records one injection's sample; refits when warm-up is reached and then every {@code retrainEvery}.
     * <p>The sample is written into {@code state}'s ring in place, and the returned state shares that ring: the ring
     * belongs to whoever holds the state (one call), which keeps the newest state only. Copying 4 × window floats per
     * sample cost a batch of 500 envelopes tens of megabytes of garbage for nothing.
     */
    public HealthState record(HealthState state, double rho, double flipYield, double entropy, double fill) {
        int window = params.window();
        float[] ring = state.samples().length == window * HealthState.FIELDS
                ? state.samples() : resize(state.samples(), window);
        int slot = (int) (state.count() % window) * HealthState.FIELDS;
        ring[slot] = (float) rho;
        ring[slot + 1] = (float) flipYield;
        ring[slot + 2] = (float) entropy;
        ring[slot + 3] = (float) fill;
        long count = state.count() + 1;
        boolean due = count >= params.warmup()
                && (!state.trained() || count - state.trainedAt() >= params.retrainEvery());
        if (!due) {
            return new HealthState(ring, count, state.fit(), state.trainedAt());
        }
        int n = (int) Math.min(count, window);
        double[] r = new double[n];
        double[] y = new double[n];
        double[] e = new double[n];
        double[] f = new double[n];
        for (int i = 0; i < n; i++) {
            r[i] = ring[i * HealthState.FIELDS];
            y[i] = ring[i * HealthState.FIELDS + 1];
            e[i] = ring[i * HealthState.FIELDS + 2];
            f[i] = ring[i * HealthState.FIELDS + 3];
        }
        double[] q = FrameQuality.of(y, e, f);
        return new HealthState(ring, count, IsotonicRegression.nonIncreasing(r, q), count);
    }

    /** A stored ring of another window size (the setting changed): keep the newest samples that fit. */
    private static float[] resize(float[] old, int window) {
        float[] ring = new float[window * HealthState.FIELDS];
        System.arraycopy(old, 0, ring, 0, Math.min(old.length, ring.length));
        return ring;
    }
}
