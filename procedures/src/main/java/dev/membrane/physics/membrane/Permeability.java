package dev.membrane.physics.membrane;

/**
 * SPEC §7.3 permeability learning: only outcomes move κ.
 * {@code κ ← clamp(κ + η·o·(o > 0 ? 1 − κ : κ), kappaMin, kappaMax)}, {@code effEma ← 0.9·effEma + 0.1·max(0, o)}.
 * κ converges toward the share of good outcomes.
 *
 * @param eta        learning rate η (0.1)
 * @param kappaMin   lower clamp (0.05)
 * @param kappaMax   upper clamp (0.95)
 * @param effEmaRate weight of the newest outcome in effEma (0.1)
 */
public record Permeability(double eta, double kappaMin, double kappaMax, double effEmaRate) {

    public double update(double kappa, double outcome) {
        double step = eta * outcome * (outcome > 0 ? 1 - kappa : kappa);
        return Math.max(kappaMin, Math.min(kappaMax, kappa + step));
    }

    public double effEma(double effEma, double outcome) {
        return (1 - effEmaRate) * effEma + effEmaRate * Math.max(0, outcome);
    }
}
