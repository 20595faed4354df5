package dev.membrane.physics.injection;

import java.util.List;

/**
 * SPEC §6.2-6.3: the budget is proportional to the gap mass the selected matches could absorb, scaled by the
 * health, source, peripheral and gain factors and capped by {@code budgetMax}. An engine whose matches are
 * already active (no gap) gets nothing: energy goes where it can still change something.
 */
public record GapCappedBudget(double budgetGain, double budgetMax) {

    public static double gapMass(List<Candidate> selected) {
        double g = 0;
        for (Candidate c : selected) {
            g += c.similarity() * c.state().gap();
        }
        return g;
    }

    public Budget compute(List<Candidate> selected, BudgetFactors f) {
        double g = gapMass(selected);
        double base = budgetGain * g;
        double b = base * f.health() * f.source() * f.peripheral() * f.gain();
        return new Budget(g, base, f, Math.min(budgetMax, Math.max(0, b)));
    }
}
