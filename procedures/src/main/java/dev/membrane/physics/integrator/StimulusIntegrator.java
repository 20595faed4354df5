package dev.membrane.physics.integrator;

import dev.membrane.physics.energy.HalfLifeDecay;

import java.util.Arrays;

/**
 * SPEC §5 per-source integrator. Every arrival (not every delivery, so a saturated spammer cannot keep its mass
 * low) adds its intensity to the source's lazily decaying mass; the gain it gets is
 * {@code γ = intensity · (trust/0.5) · ((0.5 + 0.5·utility)/0.75) · (1 − harm) · sat(m)}, clamped to
 * [0, gainMax], with m read before this arrival. A fresh source at intensity 1 gets γ = 1; the 10th arrival within
 * a second gets under 10 % of the first. A client's claimed trust can only lower trust.
 */
public record StimulusIntegrator(IntegratorParams params) {

    /** Trust and utility at which the gain is neutral (SPEC §5: γ = 1 for a fresh source). */
    static final double NEUTRAL_TRUST = 0.5;
    static final double NEUTRAL_UTILITY_TERM = 0.75;

    public double saturation(double mass) {
        return 1 / (1 + params.kSat() * mass);
    }

    /**
     * @param claimedTrust the envelope's {@code features.trust}, or NaN for no claim
     */
    public Arrival arrive(SourceState s, double intensity, double claimedTrust, long now) {
        double massBefore = new HalfLifeDecay(params.massHalfLifeMs()).decay(s.mass(), s.massAt(), now);
        double sat = saturation(massBefore);
        double trust = Double.isNaN(claimedTrust) ? s.trust() : Math.min(s.trust(), claimedTrust);
        double gain = intensity * (trust / NEUTRAL_TRUST) * ((0.5 + 0.5 * s.utility()) / NEUTRAL_UTILITY_TERM)
                * (1 - s.harm()) * sat;
        gain = Math.max(0, Math.min(params.gainMax(), gain));
        double massAfter = massBefore + intensity;
        Arrival.MassAnomaly anomaly = anomaly(s.massHistory(), massAfter);
        double[] history = append(s.massHistory(), massAfter, params.madWindow());
        SourceState after = new SourceState(s.trust(), s.utility(), s.harm(), massAfter, now, s.count() + 1, history);
        return new Arrival(gain, sat, trust, massBefore, after, anomaly);
    }

    private Arrival.MassAnomaly anomaly(double[] history, double mass) {
        if (history.length < params.madMinSamples()) {
            return null;
        }
        double median = median(history);
        double[] deviations = new double[history.length];
        for (int i = 0; i < history.length; i++) {
            deviations[i] = Math.abs(history[i] - median);
        }
        double mad = median(deviations);
        double threshold = median + params.madK() * mad;
        return mass > threshold ? new Arrival.MassAnomaly(mass, threshold, median, mad) : null;
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }

    private static double[] append(double[] history, double x, int window) {
        int keep = Math.min(history.length, window - 1);
        double[] out = new double[keep + 1];
        System.arraycopy(history, history.length - keep, out, 0, keep);
        out[keep] = x;
        return out;
    }
}
