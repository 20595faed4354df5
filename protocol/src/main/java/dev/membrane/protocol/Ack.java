package dev.membrane.protocol;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * SPEC §11: the bus's answer for one envelope, {@code {"type":"ack","id","status","reason","engines","flips",
 * "transfers"}}. The one definition the bridge writes and the SDK and {@code emit} read.
 *
 * @param id        the envelope's id (null when it had none usable)
 * @param status    one of the closed set; only {@link Status#RETRY} invites a re-send
 * @param reason    why rejected, duplicate, spooled or retry; null when accepted
 * @param engines   engines the envelope reached (empty unless accepted or duplicate)
 * @param flips     flips it caused
 * @param transfers membrane crossings it caused
 */
public record Ack(String id, Status status, String reason, List<String> engines, long flips, int transfers) {
    public static final String TYPE = "ack";

    public Ack {
        engines = engines == null ? List.of() : List.copyOf(engines);
    }

    public static Ack rejected(String id, String reason) {
        return new Ack(id, Status.REJECTED, reason, List.of(), 0, 0);
    }

    public static Ack retry(String id, String reason) {
        return new Ack(id, Status.RETRY, reason, List.of(), 0, 0);
    }

    public static Ack spooled(String id, String reason) {
        return new Ack(id, Status.SPOOLED, reason, List.of(), 0, 0);
    }

    public boolean isFinal() {
        return status.isFinal();
    }

    /** The wire frame, keys in the documented order. */
    public Map<String, Object> toWire() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", TYPE);
        m.put("id", id);
        m.put("status", status.wire());
        m.put("reason", reason);
        m.put("engines", engines);
        m.put("flips", flips);
        m.put("transfers", transfers);
        return m;
    }

    /**
     * Reads an ack frame; empty when the frame is not an ack or its status is outside the closed set (a client cannot
     * act on a status it does not know, so it treats it as no answer).
     */
    public static Optional<Ack> parse(Map<?, ?> frame) {
        if (frame == null || !TYPE.equals(frame.get("type")) || !(frame.get("status") instanceof String s)) {
            return Optional.empty();
        }
        return Status.fromWire(s).map(status -> {
            List<String> engines = new ArrayList<>();
            if (frame.get("engines") instanceof List<?> l) {
                l.forEach(e -> engines.add(String.valueOf(e)));
            }
            return new Ack(frame.get("id") == null ? null : String.valueOf(frame.get("id")), status,
                    frame.get("reason") == null ? null : String.valueOf(frame.get("reason")), engines,
                    frame.get("flips") instanceof Number n ? n.longValue() : 0,
                    frame.get("transfers") instanceof Number t ? t.intValue() : 0);
        });
    }
}
