package dev.membrane.config;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Every tunable of SPEC §1.3, with its type, default, allowed range and description: the only place a default
 * is written. Each key can be set at plugin start as {@code membrane.<key>} (in {@code conf/membrane.conf} or as a
 * JVM system property, see {@link PluginSettings}) and overridden per call by a {@code config} map;
 * {@code membrane.config()} lists the effective values.
 */
public enum ConfigKey {
    // §1 energy and time
    ENERGY_MAX("energyMax", Kind.DOUBLE, 100.0, 1, 1e6, "Upper clamp of node energy E."),
    THRESHOLD_DEFAULT("thresholdDefault", Kind.DOUBLE, 30.0, 1, 99, "Threshold Θ of a node that has none."),
    THRESHOLD_MIN("thresholdMin", Kind.DOUBLE, 1.0, 0, 1e6, "Lower clamp of a node's threshold Θ."),
    THRESHOLD_MAX("thresholdMax", Kind.DOUBLE, 99.0, 0, 1e6, "Upper clamp of a node's threshold Θ."),
    DEACTIVATION_RATIO("deactivationRatio", Kind.DOUBLE, 0.9, 0.05, 1,
            "A flipped node stays active until its decayed energy falls below deactivationRatio · Θ (without this hysteresis a node filled exactly to Θ decays below it within milliseconds); 0.9 keeps an unrefreshed node active ≈ 1.5 min at the default half-life. 1 = plain E ≥ Θ."),
    ENERGY_HALF_LIFE_MS("energyHalfLifeMs", Kind.LONG, 600_000L, 1, 1e12, "Half-life of node energy decay toward 0 (ms)."),
    REFRACTORY_HALF_LIFE_MS("refractoryHalfLifeMs", Kind.LONG, 2_000L, 1, 1e12, "Half-life of a node's refractory charge after a flip (ms)."),
    MASS_HALF_LIFE_MS("massHalfLifeMs", Kind.LONG, 1_000L, 1, 1e12, "Half-life of a source's arrival mass (ms)."),
    CLOCK_MS("clockMs", Kind.LONG, -1L, -1, 1e15, "Fixed clock (epoch ms) for replays and tests; -1 uses the wall clock. Per call only.", true),

    // §3 envelope
    EMBEDDING_DIMENSIONS("embeddingDimensions", Kind.INT, 384, 1, 4096, "Length of every embedding (node, link, stimulus)."),
    MAX_CONTENT_BYTES("maxContentBytes", Kind.INT, 65_536, 1, 16_777_216, "Largest envelope content in UTF-8 bytes."),
    MAX_CLOCK_SKEW_MS("maxClockSkewMs", Kind.LONG, 300_000L, 0, 1e12, "How far in the future an envelope's ts may lie (ms)."),
    MAX_ORIGIN_DEPTH("maxOriginDepth", Kind.INT, 2, 0, 16, "Largest originChainDepth; chains at this depth never cross a membrane."),
    MAX_TARGET_NODES("maxTargetNodes", Kind.INT, 64, 0, 10_000, "Largest targetNodes list of one envelope."),
    MAX_FREE_MAP_BYTES("maxFreeMapBytes", Kind.INT, 16_384, 0, 16_777_216, "Largest serialised provenance or metadata map (bytes)."),

    // §6.1 retrieval
    K_MAX("kMax", Kind.INT, 64, 1, 10_000, "Candidates retrieved per stimulus, and most matches kept."),
    K_MIN("kMin", Kind.INT, 1, 1, 10_000, "Fewest matches kept when any candidate passes the noise floor."),
    MIN_SIMILARITY("minSimilarity", Kind.DOUBLE, 0.2, 0, 1, "Absolute noise floor on cosine similarity."),
    RELATIVE_FLOOR("relativeFloor", Kind.DOUBLE, 0.5, 0, 1, "Candidates below relativeFloor · best similarity are noise."),
    RETRIEVAL("retrieval", Kind.CHOICE, "auto", List.of("auto", "exact", "partitioned", "index"),
            "auto: engines of at most exactScanMaxNodes nodes are searched in their snapshots, exactly when the search covers fewer than partitionMinRows rows, through the partitioned index (IVF) above; larger engines through the vector index. exact, partitioned or index force one."),
    EXACT_SCAN_MAX_NODES("exactScanMaxNodes", Kind.INT, 20_000, 0, 100_000_000, "Largest engine scanned exactly under retrieval=auto."),
    SNAPSHOT_CACHE_MAX_BYTES("snapshotCacheMaxBytes", Kind.LONG, 268_435_456L, 0, 1e13,
            "Heap for cached engine snapshots (embeddings of nodes and links of engines up to exactScanMaxNodes); least recently used engines are evicted beyond it. Plugin start only.", false, true),
    PARTITION_MIN_ROWS("partitionMinRows", Kind.INT, 8_000, 0, 100_000_000,
            "Under retrieval=auto, a search over at least this many snapshot rows (nodes and links of the engines in play) scans only the partitions nearest the query instead of every row."),
    PARTITION_PROBES("partitionProbes", Kind.INT, 8, 1, 100_000,
            "Partitions scanned per query (the nearest centroids): more is slower and closer to the exact result."),
    PARTITION_RERANK("partitionRerank", Kind.INT, 2, 1, 1_000,
            "The partitioned scan scores the probed rows on int8 copies and re-scores its best partitionRerank × kMax per query on the float rows: more is closer to the float scan's order, slower."),
    PARTITION_LISTS("partitionLists", Kind.INT, 0, 0, 1_000_000,
            "Partitions (centroids) of the partitioned index; 0 = 2·√rows at training time. Plugin start only.", false, true),
    PARTITION_TRAINING_SAMPLE("partitionTrainingSample", Kind.INT, 16_384, 16, 10_000_000,
            "Rows the partition centroids are trained on (spherical k-means). Plugin start only.", false, true),
    PARTITION_TRAINING_ITERATIONS("partitionTrainingIterations", Kind.INT, 6, 1, 1_000,
            "k-means iterations when the partition centroids are trained. Plugin start only.", false, true),
    SCORING_THREADS("scoringThreads", Kind.INT, 1, 0, 64,
            "Threads that score a batch's later chunks against the snapshots while the calling thread writes the earlier ones (both cores of a small server busy); 0 scores everything on the calling thread first. Plugin start only.", false, true),
    SCORING_CHUNK("scoringChunk", Kind.INT, 256, 1, 100_000,
            "Largest number of envelopes of a batch scored together (chunks grow from scoringFirstChunk, doubling, to this size); larger chunks read a probed partition once for more of their queries."),
    SCORING_FIRST_CHUNK("scoringFirstChunk", Kind.INT, 8, 1, 100_000,
            "Envelopes the calling thread scores before its first write; the later chunks, each twice the one before up to scoringChunk, are scored ahead on the scoring threads."),
    INDEX_OVERFETCH("indexOverfetch", Kind.INT, 8, 1, 1_000, "Index queries fetch kMax · indexOverfetch hits, then keep the engine's own."),
    VECTOR_QUANTIZATION("vectorQuantization", Kind.BOOLEAN, false, 0, 0,
            "Quantise the node vector index (membrane.setup). Off: on 5.26 it cost recall (0.94 vs 1.0) without speed."),

    // §6.3-6.4 budget and distribution
    BUDGET_MAX("budgetMax", Kind.DOUBLE, 200.0, 0, 1e9, "Cap of one stimulus' budget B in one engine."),
    BUDGET_GAIN("budgetGain", Kind.DOUBLE, 1.5, 0, 1e3, "B = budgetGain · gap mass · factors: at 1.5 a lone match of s ≥ 0.67 flips in a balanced engine."),
    POLICY("policy", Kind.CHOICE, "gap_capped", List.of("gap_capped", "dual_channel", "uniform_topk"),
            "Distribution policy; gap_capped is Membrane's, the others are baselines for comparison."),
    FILL_ORDER("fillOrder", Kind.CHOICE, "priority", List.of("priority", "proportional"),
            "How gap_capped shares a budget smaller than the gaps: proportional (SPEC water-filling λ·s) or priority (fill each match completely in gap/s order). See docs/benchmarks.md."),
    K_FIXED("kFixed", Kind.INT, 10, 1, 10_000, "k of the uniform_topk baseline."),

    // §9 events
    EVENT_RING_SIZE("eventRingSize", Kind.INT, 65_536, 1, 10_000_000, "Events kept in memory per database for membrane.events. Plugin start only.", false, true),
    EVENTS_MAX_LIMIT("eventsMaxLimit", Kind.INT, 10_000, 1, 10_000_000, "Largest limit one membrane.events call may ask for."),

    // §6.5 health modulation
    ACTIVE_TARGET("activeTarget", Kind.INT, 12, 1, 1_000_000, "Working-memory size: ρ = activeCount / activeTarget."),
    HEALTH_PRIOR_SLOPE("healthPriorSlope", Kind.DOUBLE, 0.5, 0, 100, "Prior before the fit: f(ρ) = clamp(healthMax − healthPriorSlope · ρ, healthMin, healthMax)."),
    HEALTH_MIN("healthMin", Kind.DOUBLE, 0.5, 0, 100, "Lower clamp of the health factor f(ρ)."),
    HEALTH_MAX("healthMax", Kind.DOUBLE, 1.5, 0, 100, "Upper clamp of the health factor f(ρ)."),
    HEALTH_WARMUP("healthWarmup", Kind.INT, 200, 1, 10_000_000, "Samples (injections) of an engine before its isotonic fit replaces the prior."),
    HEALTH_RETRAIN_EVERY("healthRetrainEvery", Kind.INT, 50, 1, 10_000_000, "Samples between refits of the health model."),
    HEALTH_WINDOW("healthWindow", Kind.INT, 1_000, 1, 100_000, "Samples kept per engine, ranked together for frame quality and fitted."),

    // §6.6 source gate and peripheral amplification
    SOURCE_WARMUP("sourceWarmup", Kind.INT, 50, 1, 10_000_000, "Observations of a source before its flip yield is ranked."),
    YIELD_EMA_RATE("yieldEmaRate", Kind.DOUBLE, 0.05, 0.0001, 1, "Weight of the newest flip-yield observation in a source's EMA."),
    SOURCE_GATE_MIN("sourceGateMin", Kind.DOUBLE, 0.5, 0, 100, "Gate of the lowest-ranked source: g = clamp(sourceGateMin + rankFrac, sourceGateMin, sourceGateMax)."),
    SOURCE_GATE_MAX("sourceGateMax", Kind.DOUBLE, 1.5, 0, 100, "Upper clamp of the source gate g."),
    PERIPHERAL_WINDOW("peripheralWindow", Kind.INT, 100, 1, 100_000, "Peripheral similarities kept per engine (the cohort)."),
    PERIPHERAL_MIN_SAMPLES("peripheralMinSamples", Kind.INT, 20, 1, 100_000, "Cohort size before α can be positive."),
    ALPHA_MAX("alphaMax", Kind.DOUBLE, 1.0, 0, 100, "Upper clamp of peripheral amplification α (budget × (1 + α))."),

    // §6.7 subentity channels
    CHANNEL_WARMUP("channelWarmup", Kind.INT, 20, 0, 10_000_000, "Observations every subentity in play needs before channels are weighted by affinity and success; equal split before."),

    // §4-5 integrator and membrane.integrate
    K_SAT("kSat", Kind.DOUBLE, 3.0, 0, 1e6, "Saturation: sat(m) = 1/(1 + kSat · m), m a source's arrival mass before this arrival (SPEC §5) or a membrane's export flow before this transfer (§7.1). 3.0, not SPEC's 1.5: see docs/physics.md."),
    GAIN_MAX("gainMax", Kind.DOUBLE, 2.0, 0, 100, "Upper clamp of the integrator gain γ."),
    MAD_WINDOW("madWindow", Kind.INT, 100, 2, 100_000, "Arrival masses kept per source for the mass-anomaly test."),
    MAD_K("madK", Kind.DOUBLE, 3.0, 0, 1e6, "stimulus.mass_anomaly when mass > median + madK · MAD (unscaled)."),
    MAD_MIN_SAMPLES("madMinSamples", Kind.INT, 10, 1, 100_000, "Masses a source needs before the anomaly test runs."),
    TRUST_RATE("trustRate", Kind.DOUBLE, 0.1, 0, 1, "Outcome learning: trust ← (1 − trustRate)·trust + trustRate·[success]."),
    UTILITY_RATE("utilityRate", Kind.DOUBLE, 0.1, 0, 1, "Outcome learning: utility ← (1 − utilityRate)·utility + utilityRate·u."),
    HARM_RATE("harmRate", Kind.DOUBLE, 0.05, 0, 1, "Outcome learning: harm ← (1 − harmRate)·harm + harmRate·h."),
    DEDUPE_WINDOW_MS("dedupeWindowMs", Kind.LONG, 60_000L, 0, 1e12, "Envelopes with the same dedupeKey from one source within this window integrate once."),
    MAX_ENGINES_PER_STIMULUS("maxEnginesPerStimulus", Kind.INT, 8, 1, 10_000, "Engines one envelope may reach (largest match mass first)."),
    MAX_BATCH("maxBatch", Kind.INT, 10_000, 1, 1_000_000, "Largest list of envelopes one membrane.integrate call accepts."),
    PRECEDENCE_WINDOW_MS("precedenceWindowMs", Kind.LONG, 5_000L, 0, 1e12, "membrane.tick: both ends of a link flipping within this window add one unit of direction evidence."),
    TICK_PRUNE_LIMIT("tickPruneLimit", Kind.INT, 10_000, 0, 10_000_000, "Stimulus audit nodes one membrane.tick deletes at most."),

    // §7 cross-level membrane
    KAPPA_UP_DEFAULT("kappaUpDefault", Kind.DOUBLE, 0.5, 0, 1, "κ↑ of a membrane that has none yet."),
    KAPPA_DOWN_DEFAULT("kappaDownDefault", Kind.DOUBLE, 0.9, 0, 1, "κ↓ of a membrane that has none yet."),
    KAPPA_ETA("kappaEta", Kind.DOUBLE, 0.1, 0, 1, "Permeability learning rate η: κ ← κ + η·o·(o > 0 ? 1 − κ : κ)."),
    KAPPA_MIN("kappaMin", Kind.DOUBLE, 0.05, 0, 1, "Lower clamp of κ."),
    KAPPA_MAX("kappaMax", Kind.DOUBLE, 0.95, 0, 1, "Upper clamp of κ."),
    EFF_EMA_RATE("effEmaRate", Kind.DOUBLE, 0.1, 0, 1, "Weight of the newest outcome in a membrane's effEma."),
    FIT_MIN("fitMin", Kind.DOUBLE, 0.5, 0, 1, "Structural fit a citizen needs to be a downward candidate."),
    FLOW_HALF_LIFE_MS("flowHalfLifeMs", Kind.LONG, 60_000L, 1, 1e12, "Half-life of a membrane's export flow (each transfer adds 1)."),
    MAX_TARGETS("maxTargets", Kind.INT, 3, 1, 1_000, "Downward targets of one flip at most (by fit · κ↓ · urgency)."),
    PARETO_FLOOR("paretoFloor", Kind.DOUBLE, 0.3, 0, 1, "Every Pareto axis (novelty, fit, utility, trust) must reach this."),
    PARETO_MIN_GAINS("paretoMinGains", Kind.INT, 2, 0, 4, "Axes on which an export must beat the frontier reference."),
    PARETO_TOLERANCE("paretoTolerance", Kind.DOUBLE, 0.05, 0, 1, "No axis may be worse than the frontier reference by more than this."),
    FRONTIER_WINDOW("frontierWindow", Kind.INT, 10, 1, 1_000, "Recent exports (per membrane and direction) forming the frontier."),
    FRONTIER_BOOTSTRAP("frontierBootstrap", Kind.INT, 3, 0, 1_000, "Fewer recent exports than this: the Pareto gate passes."),
    MAD_K_EXPORT("madKExport", Kind.DOUBLE, 1.0, 0, 1e6, "mad_fail when a score exceeds median + madKExport · MAD of recent scores."),
    MAD_EXPORT_WINDOW("madExportWindow", Kind.INT, 128, 2, 100_000, "Scores kept per membrane and direction for the MAD gate."),
    MAD_EXPORT_MIN("madExportMin", Kind.INT, 8, 1, 100_000, "Scores needed before the MAD gate runs."),
    LEDGER_SIZE("ledgerSize", Kind.INT, 5, 1, 1_000, "Emissions (both directions) the ledger compares content hashes with."),
    LEDGER_COOLDOWN_MS("ledgerCooldownMs", Kind.LONG, 1_800_000L, 0, 1e12, "Ledger and frontier horizon: older exports no longer count."),
    HYSTERESIS_ON("hysteresisOn", Kind.DOUBLE, 0.8, 0, 1, "Novelty that opens a membrane's export gate."),
    HYSTERESIS_OFF("hysteresisOff", Kind.DOUBLE, 0.6, 0, 1, "Novelty below which an open export gate closes."),
    MEMBRANE_HISTORY("membraneHistory", Kind.INT, 32, 1, 10_000, "Emissions remembered per membrane (both directions) for gates and membrane.membranes()."),

    // §2 audit
    AUDIT_ITEMS("auditItems", Kind.INT, 32, 0, 10_000, "INJECTED relationships written per stimulus (largest deliveries first)."),
    AUDIT_RETENTION_MS("auditRetentionMs", Kind.LONG, 604_800_000L, 0, 1e13, "Age after which membrane.tick prunes Stimulus audit nodes (ms).");

    /** Value types of keys. */
    public enum Kind { INT, LONG, DOUBLE, BOOLEAN, CHOICE }

    /** Prefix of the keys in membrane.conf and system properties. */
    public static final String SETTING_PREFIX = "membrane.";

    private final String key;
    private final Kind kind;
    private final Object defaultValue;
    private final double min;
    private final double max;
    private final List<String> choices;
    private final String description;
    private final boolean callOnly;
    private boolean startOnly;

    ConfigKey(String key, Kind kind, Object defaultValue, double min, double max, String description) {
        this(key, kind, defaultValue, min, max, List.of(), description, false);
    }

    ConfigKey(String key, Kind kind, Object defaultValue, double min, double max, String description, boolean callOnly) {
        this(key, kind, defaultValue, min, max, List.of(), description, callOnly);
    }

    ConfigKey(String key, Kind kind, Object defaultValue, double min, double max, String description, boolean callOnly,
              boolean startOnly) {
        this(key, kind, defaultValue, min, max, List.of(), description, callOnly);
        this.startOnly = startOnly;
    }

    ConfigKey(String key, Kind kind, Object defaultValue, List<String> choices, String description) {
        this(key, kind, defaultValue, 0, 0, choices, description, false);
    }

    ConfigKey(String key, Kind kind, Object defaultValue, double min, double max, List<String> choices,
              String description, boolean callOnly) {
        this.key = key;
        this.kind = kind;
        this.defaultValue = defaultValue;
        this.min = min;
        this.max = max;
        this.choices = choices;
        this.description = description;
        this.callOnly = callOnly;
    }

    public String key() {
        return key;
    }

    public Kind kind() {
        return kind;
    }

    public Object defaultValue() {
        return defaultValue;
    }

    public String description() {
        return description;
    }

    /** True for keys that only make sense per call (a fixed clock) and cannot be set at plugin start. */
    public boolean callOnly() {
        return callOnly;
    }

    /** True for keys read once at plugin start (sizes of in-memory structures); a call cannot override them. */
    public boolean startOnly() {
        return startOnly;
    }

    /** The plugin-start setting name, {@code membrane.<key>}. */
    public String settingName() {
        return SETTING_PREFIX + key;
    }

    /** Human-readable allowed values, for error messages and docs. */
    public String allowed() {
        return switch (kind) {
            case INT, LONG -> "an integer in [" + (long) min + ", " + (long) max + "]";
            case DOUBLE -> "a number in [" + min + ", " + max + "]";
            case BOOLEAN -> "true or false";
            case CHOICE -> "one of " + String.join(", ", choices);
        };
    }

    /**
     * Parses and range-checks one value given as a map value (Number, Boolean, String) or a settings-file string.
     *
     * @throws IllegalArgumentException naming the key, the allowed values and what was given
     */
    public Object parse(Object raw) {
        Object v = switch (kind) {
            case INT, LONG -> integer(raw);
            case DOUBLE -> number(raw);
            case BOOLEAN -> bool(raw);
            case CHOICE -> choice(raw);
        };
        if (v == null) {
            throw invalid(raw);
        }
        return v;
    }

    private Object integer(Object raw) {
        Double d = asDouble(raw);
        if (d == null || !Double.isFinite(d) || d != Math.rint(d) || d < min || d > max) {
            return null;
        }
        long l = raw instanceof Number n && !(raw instanceof Double) && !(raw instanceof Float) ? n.longValue() : d.longValue();
        return kind == Kind.INT ? (Object) (int) l : (Object) l;
    }

    private Object number(Object raw) {
        Double d = asDouble(raw);
        return d == null || !Double.isFinite(d) || d < min || d > max ? null : d;
    }

    private static Double asDouble(Object raw) {
        if (raw instanceof Number n) {
            return n.doubleValue();
        }
        if (raw instanceof String s) {
            try {
                return Double.parseDouble(s.trim());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    private static Object bool(Object raw) {
        if (raw instanceof Boolean b) {
            return b;
        }
        if (raw instanceof String s && (s.trim().equalsIgnoreCase("true") || s.trim().equalsIgnoreCase("false"))) {
            return Boolean.parseBoolean(s.trim());
        }
        return null;
    }

    private Object choice(Object raw) {
        return raw instanceof String s && choices.contains(s.trim()) ? s.trim() : null;
    }

    private IllegalArgumentException invalid(Object raw) {
        String given = raw instanceof String s ? "'" + s + "'" : String.valueOf(raw);
        return new IllegalArgumentException("Invalid membrane config value for '" + key + "': must be " + allowed()
                + ", got " + given);
    }

    public static Optional<ConfigKey> fromKey(String key) {
        return Arrays.stream(values()).filter(k -> k.key.equals(key)).findFirst();
    }

    /** The known key closest to a misspelt one. */
    public static String closest(String key) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (ConfigKey k : values()) {
            int d = dev.membrane.protocol.EditDistance.between(k.key.toLowerCase(), key.toLowerCase());
            if (d < bestDistance) {
                bestDistance = d;
                best = k.key;
            }
        }
        return best;
    }
}
