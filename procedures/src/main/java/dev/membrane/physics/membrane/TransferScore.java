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
}
