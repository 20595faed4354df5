package dev.membrane.physics.membrane;

/**
 * SPEC §7.1-7.2 transfer scores. A flooded membrane delivers less ({@code sat(flow) = 1/(1 + kSat·flow)}, flow read
 * before this transfer), so volume never buys influence.
 *
 * @param kSat saturation strength, as for sources (SPEC §5)
 */
public record TransferScore(double kSat) {

    public double saturation(double flow) {
        return 1 / (1 + kSat * flow);
    }

    /** §7.1: {@code ΔE↓ = sat(flow) · fit · (1 − 0.5·harm) · κ↓}. A first mission with fit 0.95 through a fresh membrane scores 0.855. */
    public double down(double flow, double fit, double harm, double kappaDown) {
        return saturation(flow) * fit * (1 - 0.5 * harm) * kappaDown;
    }

    /** §7.2: {@code sat(flow) · trust·(1 − uncertainty)·(1 − harm) · (0.5·novelty + 0.3·urgency + 0.2·scale) · κ↑}. */
    public double up(double flow, double trust, double uncertainty, double harm, double novelty, double urgency,
                     double scale, double kappaUp) {
        return saturation(flow) * trust * (1 - uncertainty) * (1 - harm) * (0.5 * novelty + 0.3 * urgency + 0.2 * scale)
                * kappaUp;
    }

    /**
     * The intensity of the mission a transfer carries (SPEC §7.1 step 5, §7.2, with the deviation in
     * docs/architecture.md): fit enters a mission once, as the similarity of its aligned target nodes, so the intensity
     * is the score without its fit factor downward ({@code sat(flow)·(1 − 0.5·harm)·κ↓}) and the whole score upward
     * (whose formula has no fit). With SPEC's {@code min(1, ΔE↓)} fit counted twice, and a candidate with fit 0.7 that
     * passed every gate could not wake its aligned node even in a dormant citizen (1.5 · 1.5 · 0.7 · 0.63 < 1).
     */
    public double missionIntensity(Direction d, double score, double fit) {
        double raw = d == Direction.DOWN ? (fit > 0 ? score / fit : 0) : score;
        return Math.max(0, Math.min(1, raw));
    }
}
