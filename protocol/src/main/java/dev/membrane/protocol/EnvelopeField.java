package dev.membrane.protocol;

import java.util.Arrays;
import java.util.Comparator;
import java.util.Optional;

/** SPEC §3: the top-level fields of an envelope. The only place their wire names are spelled. */
public enum EnvelopeField {
    TYPE("type"),
    ID("id"),
    TS("ts"),
    SCOPE("scope"),
    SOURCE("source"),
    CHANNEL("channel"),
    CONTENT("content"),
    EMBEDDING("embedding"),
    FEATURES("features"),
    ORIGIN("origin"),
    ORIGIN_CHAIN_DEPTH("originChainDepth"),
    TTL_MS("ttlMs"),
    DEDUPE_KEY("dedupeKey"),
    TARGET_NODES("targetNodes"),
    PROVENANCE("provenance"),
    METADATA("metadata");

    /** The {@code type} value of an injection envelope. */
    public static final String INJECT_TYPE = "membrane.inject";

    private final String wire;

    EnvelopeField(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    /** Wire name → constant; a map, not a stream per call: the SDK validates on its host's emitting thread. */
    private static final java.util.Map<String, EnvelopeField> BY_WIRE = java.util.Map.copyOf(
            Arrays.stream(values()).collect(java.util.stream.Collectors.toMap(v -> v.wire, v -> v)));

    public static Optional<EnvelopeField> fromWire(String name) {
        return name == null ? Optional.empty() : Optional.ofNullable(BY_WIRE.get(name));
    }

    /** The known field closest to a misspelt one, for "did you mean" hints. */
    public static String closest(String name) {
        return Arrays.stream(values())
                .map(EnvelopeField::wire)
                .min(Comparator.comparingInt(w -> EditDistance.between(w.toLowerCase(), name.toLowerCase())))
                .orElseThrow();
    }
}
