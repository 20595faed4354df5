package dev.membrane.physics.health;

/**
 * What an engine has learned about its health (SPEC §6.5), as stored on its {@code :Engine} node.
 *
 * @param samples   ring of the last {@code window} samples, 4 floats each: ρ, flipYield, entropy, 1 − overshootShare
 * @param count     samples recorded in total (the ring's write position is {@code count % window})
 * @param fit       the fitted q̂(ρ), empty before warm-up
 * @param trainedAt {@code count} when {@code fit} was computed
 */
public record HealthState(float[] samples, long count, IsotonicRegression.Fit fit, long trainedAt) {
    public static final int FIELDS = 4;

    public static HealthState empty() {
        return new HealthState(new float[0], 0, new IsotonicRegression.Fit(new double[0], new double[0]), 0);
    }

    public boolean trained() {
        return !fit.isEmpty();
    }
}
