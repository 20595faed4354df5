package dev.membrane.config;

import dev.membrane.physics.channels.SubentityChannels;
import dev.membrane.physics.energy.Activation;
import dev.membrane.physics.gates.PeripheralAmplification;
import dev.membrane.physics.gates.SourceGate;
import dev.membrane.physics.health.HealthModulation;
import dev.membrane.physics.integrator.IntegratorParams;
import dev.membrane.physics.membrane.ExportGates;
import dev.membrane.physics.membrane.GateParams;
import dev.membrane.physics.membrane.Permeability;
import dev.membrane.physics.membrane.TransferScore;
import dev.membrane.physics.integrator.SourceLearning;
import dev.membrane.physics.integrator.StimulusIntegrator;
import dev.membrane.physics.health.HealthParams;
import dev.membrane.physics.energy.HalfLifeDecay;
import dev.membrane.physics.injection.DistributionPolicy;
import dev.membrane.physics.injection.EntropyCoverageSelection;
import dev.membrane.physics.injection.GapCappedBudget;
import dev.membrane.physics.injection.GapCappedDistribution;
import dev.membrane.physics.injection.StimulusInjection;
import dev.membrane.protocol.EnvelopeLimits;

import java.time.Clock;
import java.util.EnumMap;
import java.util.Map;

/**
 * Effective configuration: defaults of {@link ConfigKey}, overridden by {@link PluginSettings} at plugin start, overridden by
 * a call's {@code config} map. Immutable; every value was range-checked on the way in. Physics objects are built
 * from it here, so the physics never sees a loose map.
 */
public final class MembraneConfig {

    /** Where an effective value came from, as shown by {@code membrane.config()}. */
    public enum Origin {
        DEFAULT("default"), MEMBRANE_CONF("membrane.conf"), ENVIRONMENT("environment variable"), SYSTEM_PROPERTY("system property"),
        CALL("call");

        private final String label;

        Origin(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    private static final MembraneConfig DEFAULTS = build();

    private final EnumMap<ConfigKey, Object> values;
    private final EnumMap<ConfigKey, Origin> origins;

    private MembraneConfig(EnumMap<ConfigKey, Object> values, EnumMap<ConfigKey, Origin> origins) {
        this.values = values;
        this.origins = origins;
    }

    private static MembraneConfig build() {
        EnumMap<ConfigKey, Object> v = new EnumMap<>(ConfigKey.class);
        EnumMap<ConfigKey, Origin> o = new EnumMap<>(ConfigKey.class);
        for (ConfigKey k : ConfigKey.values()) {
            v.put(k, k.defaultValue());
            o.put(k, Origin.DEFAULT);
        }
        return new MembraneConfig(v, o);
    }

    public static MembraneConfig defaults() {
        return DEFAULTS;
    }

    /** Where the non-default values come from, for the plugin's start line: "defaults only" or "membrane.conf: 2 keys, …". */
    public String sources() {
        java.util.Map<Origin, Long> counts = new java.util.EnumMap<>(Origin.class);
        origins.values().stream().filter(o -> o != Origin.DEFAULT).forEach(o -> counts.merge(o, 1L, Long::sum));
        if (counts.isEmpty()) {
            return "defaults only";
        }
        return "defaults and " + counts.entrySet().stream().map(e -> e.getKey().label() + " (" + e.getValue() + " key"
                + (e.getValue() == 1 ? "" : "s") + ")").collect(java.util.stream.Collectors.joining(", "));
    }

    /**
     * Applies plugin-start settings (key → raw string); keys absent from the map keep their value.
     *
     * @param where names the source in error messages (a file path)
     */
    public MembraneConfig withSettings(Map<ConfigKey, String> settings, Origin origin, String where) {
        EnumMap<ConfigKey, Object> v = new EnumMap<>(values);
        EnumMap<ConfigKey, Origin> o = new EnumMap<>(origins);
        settings.forEach((k, raw) -> {
            try {
                v.put(k, k.parse(raw));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("Setting '" + k.settingName() + "' (" + where + "): " + e.getMessage(), e);
            }
            o.put(k, origin);
        });
        return checked(v, o);
    }

    /**
     * Applies a call's {@code config} map.
     *
     * @throws IllegalArgumentException for an unknown key (with the closest known one) or a bad value (naming the key)
     */
    public MembraneConfig withOverrides(Map<String, ?> overrides) {
        if (overrides == null || overrides.isEmpty()) {
            return this;
        }
        EnumMap<ConfigKey, Object> v = new EnumMap<>(values);
        EnumMap<ConfigKey, Origin> o = new EnumMap<>(origins);
        overrides.forEach((name, raw) -> {
            ConfigKey k = ConfigKey.fromKey(name).orElseThrow(() -> new IllegalArgumentException(
                    "Unknown membrane config key '" + name + "' (did you mean '" + ConfigKey.closest(name) + "'?)"));
            if (k.startOnly()) {
                throw new IllegalArgumentException("Membrane config key '" + name + "' is read once at plugin start; set "
                        + k.settingName() + " in membrane.conf instead of passing it per call");
            }
            if (raw != null) {
                v.put(k, k.parse(raw));
                o.put(k, Origin.CALL);
            }
        });
        return checked(v, o);
    }

    private static MembraneConfig checked(EnumMap<ConfigKey, Object> v, EnumMap<ConfigKey, Origin> o) {
        MembraneConfig c = new MembraneConfig(v, o);
        if (c.intValue(ConfigKey.K_MIN) > c.intValue(ConfigKey.K_MAX)) {
            throw new IllegalArgumentException("Invalid membrane config: 'kMin' (" + c.intValue(ConfigKey.K_MIN)
                    + ") must not exceed 'kMax' (" + c.intValue(ConfigKey.K_MAX) + ")");
        }
        double lo = c.doubleValue(ConfigKey.THRESHOLD_MIN);
        double hi = c.doubleValue(ConfigKey.THRESHOLD_MAX);
        double def = c.doubleValue(ConfigKey.THRESHOLD_DEFAULT);
        if (lo > hi || def < lo || def > hi || hi > c.doubleValue(ConfigKey.ENERGY_MAX)) {
            throw new IllegalArgumentException("Invalid membrane config: need thresholdMin <= thresholdDefault <= "
                    + "thresholdMax <= energyMax, got " + lo + ", " + def + ", " + hi + ", " + c.doubleValue(ConfigKey.ENERGY_MAX));
        }
        if (c.doubleValue(ConfigKey.HEALTH_MIN) > c.doubleValue(ConfigKey.HEALTH_MAX)
                || c.doubleValue(ConfigKey.SOURCE_GATE_MIN) > c.doubleValue(ConfigKey.SOURCE_GATE_MAX)) {
            throw new IllegalArgumentException("Invalid membrane config: healthMin must not exceed healthMax, nor "
                    + "sourceGateMin sourceGateMax");
        }
        return c;
    }

    public Object value(ConfigKey k) {
        return values.get(k);
    }

    public Origin origin(ConfigKey k) {
        return origins.get(k);
    }

    public double doubleValue(ConfigKey k) {
        return ((Number) values.get(k)).doubleValue();
    }

    public int intValue(ConfigKey k) {
        return ((Number) values.get(k)).intValue();
    }

    public long longValue(ConfigKey k) {
        return ((Number) values.get(k)).longValue();
    }

    public boolean booleanValue(ConfigKey k) {
        return (Boolean) values.get(k);
    }

    public String stringValue(ConfigKey k) {
        return (String) values.get(k);
    }

    /** The clock's now: the fixed {@code clockMs} when given, else the injected clock. */
    public long now(Clock clock) {
        long fixed = longValue(ConfigKey.CLOCK_MS);
        return fixed >= 0 ? fixed : clock.millis();
    }

    public EnvelopeLimits envelopeLimits() {
        return new EnvelopeLimits(intValue(ConfigKey.EMBEDDING_DIMENSIONS), intValue(ConfigKey.MAX_CONTENT_BYTES),
                intValue(ConfigKey.MAX_ORIGIN_DEPTH), longValue(ConfigKey.MAX_CLOCK_SKEW_MS),
                intValue(ConfigKey.MAX_TARGET_NODES), intValue(ConfigKey.MAX_FREE_MAP_BYTES));
    }

    public EntropyCoverageSelection selection() {
        return new EntropyCoverageSelection(doubleValue(ConfigKey.MIN_SIMILARITY), doubleValue(ConfigKey.RELATIVE_FLOOR),
                intValue(ConfigKey.K_MIN), intValue(ConfigKey.K_MAX));
    }

    public DistributionPolicy policy() {
        return DistributionPolicy.fromWire(stringValue(ConfigKey.POLICY)).orElseThrow();
    }

    public StimulusInjection injection() {
        return new StimulusInjection(new GapCappedBudget(doubleValue(ConfigKey.BUDGET_GAIN), doubleValue(ConfigKey.BUDGET_MAX)),
                policy(), GapCappedDistribution.FillOrder.valueOf(stringValue(ConfigKey.FILL_ORDER).toUpperCase(java.util.Locale.ROOT)),
                doubleValue(ConfigKey.ENERGY_MAX), intValue(ConfigKey.K_FIXED));
    }

    public HealthModulation health() {
        return new HealthModulation(new HealthParams(intValue(ConfigKey.ACTIVE_TARGET), doubleValue(ConfigKey.HEALTH_PRIOR_SLOPE),
                doubleValue(ConfigKey.HEALTH_MIN), doubleValue(ConfigKey.HEALTH_MAX), intValue(ConfigKey.HEALTH_WARMUP),
                intValue(ConfigKey.HEALTH_RETRAIN_EVERY), intValue(ConfigKey.HEALTH_WINDOW)));
    }

    public SourceGate sourceGate() {
        return new SourceGate(intValue(ConfigKey.SOURCE_WARMUP), doubleValue(ConfigKey.YIELD_EMA_RATE),
                doubleValue(ConfigKey.SOURCE_GATE_MIN), doubleValue(ConfigKey.SOURCE_GATE_MAX));
    }

    public PeripheralAmplification peripheral() {
        return new PeripheralAmplification(intValue(ConfigKey.PERIPHERAL_WINDOW), intValue(ConfigKey.PERIPHERAL_MIN_SAMPLES),
                doubleValue(ConfigKey.ALPHA_MAX));
    }

    public SubentityChannels channels() {
        return new SubentityChannels(intValue(ConfigKey.CHANNEL_WARMUP));
    }

    public StimulusIntegrator integrator() {
        return new StimulusIntegrator(new IntegratorParams(doubleValue(ConfigKey.K_SAT), doubleValue(ConfigKey.GAIN_MAX),
                longValue(ConfigKey.MASS_HALF_LIFE_MS), intValue(ConfigKey.MAD_WINDOW), doubleValue(ConfigKey.MAD_K),
                intValue(ConfigKey.MAD_MIN_SAMPLES)));
    }

    public SourceLearning sourceLearning() {
        return new SourceLearning(doubleValue(ConfigKey.TRUST_RATE), doubleValue(ConfigKey.UTILITY_RATE),
                doubleValue(ConfigKey.HARM_RATE));
    }

    public Permeability permeability() {
        return new Permeability(doubleValue(ConfigKey.KAPPA_ETA), doubleValue(ConfigKey.KAPPA_MIN),
                doubleValue(ConfigKey.KAPPA_MAX), doubleValue(ConfigKey.EFF_EMA_RATE));
    }

    public ExportGates exportGates() {
        return new ExportGates(new GateParams(intValue(ConfigKey.MAX_ORIGIN_DEPTH), doubleValue(ConfigKey.PARETO_FLOOR),
                intValue(ConfigKey.PARETO_MIN_GAINS), doubleValue(ConfigKey.PARETO_TOLERANCE), intValue(ConfigKey.FRONTIER_WINDOW),
                intValue(ConfigKey.FRONTIER_BOOTSTRAP), doubleValue(ConfigKey.MAD_K_EXPORT), intValue(ConfigKey.MAD_EXPORT_WINDOW),
                intValue(ConfigKey.MAD_EXPORT_MIN), intValue(ConfigKey.LEDGER_SIZE), longValue(ConfigKey.LEDGER_COOLDOWN_MS),
                doubleValue(ConfigKey.HYSTERESIS_ON), doubleValue(ConfigKey.HYSTERESIS_OFF)));
    }

    public TransferScore transferScore() {
        return new TransferScore(doubleValue(ConfigKey.K_SAT));
    }

    public Activation activation() {
        return new Activation(doubleValue(ConfigKey.DEACTIVATION_RATIO));
    }

    public HalfLifeDecay energyDecay() {
        return new HalfLifeDecay(longValue(ConfigKey.ENERGY_HALF_LIFE_MS));
    }

    public HalfLifeDecay refractoryDecay() {
        return new HalfLifeDecay(longValue(ConfigKey.REFRACTORY_HALF_LIFE_MS));
    }
}
