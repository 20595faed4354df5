package dev.membrane.physics.injection;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one matched link carried (SPEC §6.7): its delivery, how it was split between its ends, and what neither
 * end could absorb.
 */
public record LinkOutcome(String linkId, String fromId, String toId, double similarity, double fromShare, double planned,
                          double toFrom, double toTo, double lost) {

    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("linkId", linkId);
        m.put("from", fromId);
        m.put("to", toId);
        m.put("similarity", similarity);
        m.put("fromShare", fromShare);
        m.put("deltaE", planned);
        m.put("toFrom", toFrom);
        m.put("toTo", toTo);
        m.put("lost", lost);
        return m;
    }
}
