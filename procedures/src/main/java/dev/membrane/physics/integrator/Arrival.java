package dev.membrane.physics.integrator;

/**
 * The integrator's verdict on one arrival (SPEC §5).
 *
 * @param gain        γ, clamped to [0, gainMax]
 * @param saturation  sat(m) with m read before this arrival
 * @param trustUsed   min(learned trust, claimed trust)
 * @param massBefore  m before this arrival (decayed to now)
 * @param after       the source state to store
 * @param anomaly     non-null when the mass after this arrival is anomalous for the source
 */
public record Arrival(double gain, double saturation, double trustUsed, double massBefore, SourceState after,
                      MassAnomaly anomaly) {

    /** SPEC §5 mass anomaly: {@code mass > median + madK·MAD}. */
    public record MassAnomaly(double mass, double threshold, double median, double mad) {
    }
}
