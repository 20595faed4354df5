package dev.membrane.physics.injection;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one matched node received (SPEC §6.8 {@code items}).
 *
 * @param deltaE         energy delivered, after refractory
 * @param refractoryLoss energy planned for the node but blocked by its refractory charge
 * @param overshoot      energy delivered above Θ (waste: the node was already or became active)
 */
public record ItemOutcome(String nodeId, double similarity, double energyBefore, double threshold, double gapBefore,
                          double deltaE, double energyAfter, double gapAfter, boolean flipped, double refractoryLoss,
                          double overshoot) {

    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("nodeId", nodeId);
        m.put("similarity", similarity);
        m.put("gapBefore", gapBefore);
        m.put("deltaE", deltaE);
        m.put("gapAfter", gapAfter);
        m.put("flipped", flipped);
        return m;
    }
}
