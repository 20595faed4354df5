package dev.membrane.sdk;

import dev.membrane.protocol.Feature;
import dev.membrane.protocol.Origin;

import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The typed emitters' defaults (SPEC §12): channel, origin and the features each kind of stimulus carries unless the
 * caller says otherwise. Features not listed take the plugin's absent values (0.5; intensity 1; valence 0; trust: no
 * claim). The table in docs/sdk.md is this enum.
 */
public enum StimulusKind {
    /** Something broke: urgent, unpleasant, fairly novel the first time (dedupe handles the repeats). */
    SCRIPT_ERROR("script.error", Origin.SELF_OBSERVATION, features(
            Feature.URGENCY, 0.9, Feature.VALENCE, -0.7, Feature.NOVELTY, 0.6, Feature.INTENSITY, 1.0)),
    /** A routine measurement: low novelty and urgency, neutral; its energy should come from repetition, not one point. */
    METRIC("metric", Origin.SELF_OBSERVATION, features(
            Feature.NOVELTY, 0.1, Feature.URGENCY, 0.3, Feature.INTENSITY, 0.5, Feature.UNCERTAINTY, 0.2)),
    /** A person did something in the UI: moderately urgent, slightly positive, a human signal. */
    UI_ACTION("ui.action", Origin.UI, features(
            Feature.URGENCY, 0.6, Feature.VALENCE, 0.1, Feature.NOVELTY, 0.5, Feature.INTENSITY, 0.8)),
    /** A tool finished and succeeded: low urgency, positive, little uncertainty. */
    TOOL_SUCCESS("tool.result", Origin.TOOL, features(
            Feature.URGENCY, 0.3, Feature.VALENCE, 0.4, Feature.UNCERTAINTY, 0.2, Feature.INTENSITY, 0.7)),
    /** A tool finished and failed: urgent, negative, uncertain. */
    TOOL_FAILURE("tool.result", Origin.TOOL, features(
            Feature.URGENCY, 0.7, Feature.VALENCE, -0.5, Feature.UNCERTAINTY, 0.6, Feature.INTENSITY, 0.9));

    private final String channel;
    private final Origin origin;
    private final Map<Feature, Double> features;

    StimulusKind(String channel, Origin origin, Map<Feature, Double> features) {
        this.channel = channel;
        this.origin = origin;
        this.features = Collections.unmodifiableMap(features);
    }

    public String channel() {
        return channel;
    }

    public Origin origin() {
        return origin;
    }

    public Map<Feature, Double> features() {
        return features;
    }

    /** The default features by wire name, overridden by {@code overrides} (wire name → value). */
    public Map<String, Object> featuresWith(Map<String, ? extends Number> overrides) {
        Map<String, Object> out = new LinkedHashMap<>();
        features.forEach((f, v) -> out.put(f.wire(), v));
        if (overrides != null) {
            out.putAll(overrides);
        }
        return out;
    }

    private static Map<Feature, Double> features(Object... pairs) {
        Map<Feature, Double> m = new EnumMap<>(Feature.class);
        for (int i = 0; i < pairs.length; i += 2) {
            m.put((Feature) pairs[i], (Double) pairs[i + 1]);
        }
        return m;
    }
}
