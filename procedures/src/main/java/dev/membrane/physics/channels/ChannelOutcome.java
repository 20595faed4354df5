package dev.membrane.physics.channels;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one channel received (SPEC §6.7 attribution).
 *
 * @param weight    π of the channel
 * @param budget    its budget after leftovers of full channels flowed in
 * @param delivered energy its items received
 * @param gapClosed the part of {@code delivered} that closed gaps (all of it under gap capping)
 */
public record ChannelOutcome(String id, double weight, double budget, double delivered, int flips, double gapClosed) {

    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("subentity", id);
        m.put("weight", weight);
        m.put("budget", budget);
        m.put("delivered", delivered);
        m.put("flips", (long) flips);
        return m;
    }
}
