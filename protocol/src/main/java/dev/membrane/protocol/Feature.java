package dev.membrane.protocol;

import java.util.Arrays;
import java.util.Optional;

/**
 * SPEC §3: the stimulus features, each with its range and the value an absent feature takes.
 * {@link #TRUST} has no default: absent means "no claim" (SPEC §5), modelled as {@code NaN} in
 * {@link Features} and never stored.
 */
public enum Feature {
    NOVELTY("novelty", 0.0, 1.0, 0.5),
    UNCERTAINTY("uncertainty", 0.0, 1.0, 0.5),
    TRUST("trust", 0.0, 1.0, Double.NaN),
    URGENCY("urgency", 0.0, 1.0, 0.5),
    SCALE("scale", 0.0, 1.0, 0.5),
    INTENSITY("intensity", 0.0, 1.0, 1.0),
    VALENCE("valence", -1.0, 1.0, 0.0);

    private final String wire;
    private final double min;
    private final double max;
    private final double absent;

    Feature(String wire, double min, double max, double absent) {
        this.wire = wire;
        this.min = min;
        this.max = max;
        this.absent = absent;
    }

    public String wire() {
        return wire;
    }

    public double min() {
        return min;
    }

    public double max() {
        return max;
    }

    /** The value used when the envelope does not carry this feature ({@code NaN} = no claim). */
    public double absent() {
        return absent;
    }

    /** Wire name → constant; a map, not a stream per call: the SDK validates on its host's emitting thread. */
    private static final java.util.Map<String, Feature> BY_WIRE = java.util.Map.copyOf(
            Arrays.stream(values()).collect(java.util.stream.Collectors.toMap(v -> v.wire, v -> v)));

    public static Optional<Feature> fromWire(String value) {
        return value == null ? Optional.empty() : Optional.ofNullable(BY_WIRE.get(value));
    }
}
