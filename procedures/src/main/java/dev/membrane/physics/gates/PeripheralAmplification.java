package dev.membrane.physics.gates;

/**
 * SPEC §6.6 peripheral amplification α: a stimulus that echoes an engine's persistent peripheral context more than
 * usual for that engine gets a larger budget (1 + α). {@code x = max cos(stimulus, context)}; α is x's z-score
 * against the engine's cohort of recent x values, clamped to [0, alphaMax], and 0 until the cohort holds
 * {@code minSamples}. Every injection records its x, whether or not it was amplified.
 *
 * @param window     cohort size
 * @param minSamples values needed before α can be positive
 * @param alphaMax   upper clamp of α
 */
public record PeripheralAmplification(int window, int minSamples, double alphaMax) {

    /** Below this spread the cohort is treated as constant: only an x above it is unusual. */
    static final double MIN_STD = 1e-9;

    public double alpha(Cohort cohort, double x) {
        if (cohort.size() < minSamples) {
            return 0;
        }
        double mean = cohort.mean();
        double std = cohort.std();
        if (std < MIN_STD) {
            return x > mean + MIN_STD ? alphaMax : 0;
        }
        return Math.max(0, Math.min(alphaMax, (x - mean) / std));
    }

    /** The cohort after recording x (resized if the window setting changed). */
    public Cohort record(Cohort cohort, double x) {
        Cohort c = cohort.values().length == window ? cohort : resize(cohort);
        return c.add(x);
    }

    private Cohort resize(Cohort old) {
        float[] v = new float[window];
        int n = Math.min(old.size(), window);
        System.arraycopy(old.values(), 0, v, 0, n);
        return new Cohort(v, n);
    }
}
