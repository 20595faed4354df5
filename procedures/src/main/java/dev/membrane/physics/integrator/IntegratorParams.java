package dev.membrane.physics.integrator;

/**
 * Tunables of SPEC §5.
 *
 * @param kSat           saturation strength: sat(m) = 1/(1 + kSat·m)
 * @param gainMax        upper clamp of γ
 * @param massHalfLifeMs decay of arrival mass
 * @param madWindow      masses kept per source for the anomaly test
 * @param madK           anomaly when m > median + madK·MAD
 * @param madMinSamples  masses needed before the test runs
 */
public record IntegratorParams(double kSat, double gainMax, long massHalfLifeMs, int madWindow, double madK,
                               int madMinSamples) {
}
