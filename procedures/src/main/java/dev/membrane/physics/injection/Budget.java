package dev.membrane.physics.injection;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The attributed budget of one injection (SPEC §6.3): every factor that shaped it, and the result.
 *
 * @param gapMass G = Σ s_i · gap_i over the selected matches
 * @param base    budgetGain · G
 * @param value   B = min(budgetMax, base · health · source · peripheral · gain)
 */
public record Budget(double gapMass, double base, BudgetFactors factors, double value) {

    /** The attribution map of SPEC §6.8: {@code base, health, source, peripheral, gain, final}. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("gapMass", gapMass);
        m.put("base", base);
        m.put("health", factors.health());
        m.put("source", factors.source());
        m.put("peripheral", factors.peripheral());
        m.put("gain", factors.gain());
        m.put("final", value);
        return m;
    }
}
