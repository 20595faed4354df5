package dev.membrane.protocol;

import java.util.Arrays;
import java.util.Optional;

/** SPEC §9: the telemetry event types. The only place their names are spelled; bridge topics glob over them. */
public enum EventType {
    STIMULUS_INJECTED("stimulus.injected"),
    STIMULUS_ITEM_INJECTED("stimulus.item_injected"),
    STIMULUS_PROCESSED("stimulus.processed"),
    STIMULUS_REJECTED("stimulus.rejected"),
    STIMULUS_MASS_ANOMALY("stimulus.mass_anomaly"),
    NODE_FLIPPED("node.flipped"),
    NODE_DEACTIVATED("node.deactivated"),
    MEMBRANE_TRANSFER_DOWN("membrane.transfer.down"),
    MEMBRANE_TRANSFER_UP("membrane.transfer.up"),
    MEMBRANE_EXPORT_REJECTED("membrane.export.rejected"),
    MEMBRANE_PERMEABILITY_UPDATED("membrane.permeability.updated"),
    /** First row for a reader that fell behind the ring (or whose sequence is from before a restart). */
    EVENTS_GAP("events.gap");

    private final String wire;

    EventType(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    public static Optional<EventType> fromWire(String value) {
        return Arrays.stream(values()).filter(t -> t.wire.equals(value)).findFirst();
    }
}
