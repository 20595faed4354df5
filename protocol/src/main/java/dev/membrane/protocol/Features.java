package dev.membrane.protocol;

import java.util.EnumMap;
import java.util.Map;

/** Validated feature values of one envelope (SPEC §3); absent features hold their {@link Feature#absent()} value. */
public final class Features {
    private final EnumMap<Feature, Double> values;

    private Features(EnumMap<Feature, Double> values) {
        this.values = values;
    }

    public static Features defaults() {
        return of(Map.of());
    }

    /** Builds from already validated values; features not named take their absent value. */
    public static Features of(Map<Feature, Double> given) {
        EnumMap<Feature, Double> v = new EnumMap<>(Feature.class);
        for (Feature f : Feature.values()) {
            v.put(f, given.getOrDefault(f, f.absent()));
        }
        return new Features(v);
    }

    public double get(Feature feature) {
        return values.get(feature);
    }

    public double intensity() {
        return get(Feature.INTENSITY);
    }

    /** True when the client claimed a trust value (it can only lower learned trust, SPEC §5). */
    public boolean claimsTrust() {
        return !Double.isNaN(get(Feature.TRUST));
    }

}
