package dev.membrane.physics.membrane;

import java.util.LinkedHashMap;
import java.util.Map;

/** SPEC §7.1 Pareto axes of a candidate export. */
public record Axes(double novelty, double fit, double utility, double trust) {

    double[] values() {
        return new double[]{novelty, fit, utility, trust};
    }

    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("novelty", novelty);
        m.put("fit", fit);
        m.put("utility", utility);
        m.put("trust", trust);
        return m;
    }
}
