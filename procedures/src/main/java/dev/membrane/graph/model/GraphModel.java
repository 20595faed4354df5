package dev.membrane.graph.model;

import org.neo4j.graphdb.Label;
import org.neo4j.graphdb.RelationshipType;

/** SPEC §2: the only place labels, relationship types, property keys and schema names are spelled. */
public final class GraphModel {
    private GraphModel() {
    }

    // Labels
    public static final Label ENGINE = Label.label("Engine");
    public static final Label NODE = Label.label("Node");
    public static final Label SUBENTITY = Label.label("SubEntity");
    public static final Label SOURCE = Label.label("Source");
    public static final Label STIMULUS = Label.label("Stimulus");
    public static final Label TRANSFER = Label.label("Transfer");
    /** An outcome that carried an {@code outcomeId}: its uniqueness makes the outcome count once (SPEC §8). */
    public static final Label OUTCOME = Label.label("Outcome");
    /** On a :Node from its flip until it decays below deactivationRatio · Θ: the tracked active set. */
    public static final Label ACTIVE = Label.label("Active");

    // Relationship types
    public static final RelationshipType MEMBRANE_TO = RelationshipType.withName("MEMBRANE_TO");
    public static final RelationshipType INJECTED = RelationshipType.withName("INJECTED");
    public static final RelationshipType MEMBER_OF = RelationshipType.withName("MEMBER_OF");
    public static final RelationshipType LIFTS_TO = RelationshipType.withName("LIFTS_TO");
    public static final RelationshipType CORRESPONDS_TO = RelationshipType.withName("CORRESPONDS_TO");
    public static final RelationshipType SUPPORTS = RelationshipType.withName("SUPPORTS");
    public static final RelationshipType FROM = RelationshipType.withName("FROM");
    public static final RelationshipType TO = RelationshipType.withName("TO");
    public static final RelationshipType CARRIED = RelationshipType.withName("CARRIED");

    /** The alignment relationship types (SPEC §2): structural fit between levels. */
    public static final RelationshipType[] ALIGNMENT = {RelationshipType.withName("LIFTS_TO"),
            RelationshipType.withName("CORRESPONDS_TO"), RelationshipType.withName("SUPPORTS")};
    /** Alignment property; missing means 1.0. */
    public static final String FIT = "fit";

    // Shared properties
    public static final String ID = "id";

    // :Engine
    public static final String LEVEL = "level";
    public static final String SCOPE = "scope";
    public static final String ACTIVE_COUNT = "activeCount";
    /**
     * Health model (SPEC §6.5): sample ring, total count, fitted points, count at the last fit. The ring is stored in
     * chunks {@code healthSamples_0, healthSamples_1, …} (EngineLearningStore); a ring in one {@code healthSamples}
     * array, as earlier builds of 0.1.0 wrote it, is read and replaced on the next write.
     */
    public static final String HEALTH_SAMPLES = "healthSamples";
    public static final String HEALTH_SAMPLES_CHUNK_PREFIX = "healthSamples_";
    public static final String HEALTH_COUNT = "healthCount";
    public static final String HEALTH_FIT_RHO = "healthFitRho";
    public static final String HEALTH_FIT_Q = "healthFitQ";
    public static final String HEALTH_TRAINED_AT = "healthTrainedAt";
    /** Peripheral cohort (SPEC §6.6): ring of recent peripheral similarities and its count. */
    public static final String PERIPHERY = "periphery";
    public static final String PERIPHERY_COUNT = "peripheryCount";

    // :Node
    /** The owning Engine's id. */
    public static final String ENGINE_ID = "engine";
    public static final String ENERGY = "energy";
    public static final String ENERGY_AT = "energy_at";
    public static final String THRESHOLD = "threshold";
    public static final String TEXT = "text";
    public static final String EMBEDDING = "embedding";
    public static final String REFRACTORY_AT = "refractory_at";
    public static final String FLIPS = "flips";
    public static final String PERIPHERAL = "peripheral";

    // :SubEntity (SPEC §6.7) and -[:MEMBER_OF {weight}]->
    public static final String SUCCESS_FLIPS = "successFlips";
    public static final String SUCCESS_GAP = "successGap";
    public static final String OBS = "obs";
    public static final String WEIGHT = "weight";

    // links between :Node (SPEC §6.7): direction evidence counters
    public static final String FWD = "fwd";
    public static final String BWD = "bwd";
    /** Flip time (the later end's) of the last flip pair counted as direction evidence, so no pair counts twice. */
    public static final String EVIDENCE_AT = "evidence_at";

    // :Source (SPEC §5, §6.6)
    public static final String TRUST = "trust";
    public static final String UTILITY = "utility";
    public static final String HARM = "harm";
    public static final String MASS = "mass";
    public static final String MASS_AT = "mass_at";
    public static final String COUNT = "count";
    public static final String YIELD_EMA = "yieldEma";
    public static final String YIELD_OBS = "yieldObs";
    public static final String MASS_HISTORY = "massHistory";

    // :Stimulus
    public static final String STIMULUS_SOURCE = "source";
    public static final String STIMULUS_SCOPE = "scope";
    public static final String CHANNEL = "channel";
    public static final String TS = "ts";
    public static final String ENGINES = "engines";
    public static final String BUDGET = "budget";
    public static final String DELIVERED = "delivered";
    public static final String STIMULUS_FLIPS = "flips";
    public static final String STATUS = "status";
    public static final String POLICY = "policy";
    public static final String DEDUPE_KEY = "dedupeKey";
    /** Integrator gain γ the stimulus got (SPEC §5). */
    public static final String GAIN = "gain";

    // -[:INJECTED]->
    public static final String DELTA_E = "deltaE";
    public static final String SIMILARITY = "similarity";
    public static final String GAP_BEFORE = "gapBefore";
    public static final String REASON = "reason";

    /** Why an INJECTED item was chosen (SPEC §0.3 attribution). */
    public static final String REASON_SIMILARITY = "similarity";
    public static final String REASON_TARGET = "target";
    public static final String REASON_LINK = "link";

    /** Status of a Stimulus that delivered through {@code membrane.inject}. */
    public static final String STATUS_INJECTED = "injected";
    /** Status of a Stimulus integrated through {@code membrane.integrate}. */
    public static final String STATUS_ACCEPTED = "accepted";

    // -[:MEMBRANE_TO]-> (SPEC §2, §7)
    public static final String KAPPA_UP = "kappaUp";
    public static final String KAPPA_DOWN = "kappaDown";
    public static final String EFF_EMA = "effEma";
    public static final String FLOW = "flow";
    public static final String FLOW_AT = "flow_at";
    public static final String EXPORT_ON_DOWN = "exportOnDown";
    public static final String EXPORT_ON_UP = "exportOnUp";
    /** Ledger of every attempt to cross (delivered or absorbed), parallel arrays in time order, both directions. */
    public static final String LEDGER_TS = "ledgerTs";
    public static final String LEDGER_DIR = "ledgerDir";
    public static final String LEDGER_HASH = "ledgerHash";
    /** Delivered exports (frontier, novelty, membrane.membranes), parallel arrays in time order (both directions). */
    public static final String HIST_TS = "histTs";
    public static final String HIST_DIR = "histDir";
    public static final String HIST_HASH = "histHash";
    public static final String HIST_NODE = "histNode";
    public static final String HIST_AXES = "histAxes";
    public static final String HIST_SCORE = "histScore";
    public static final String SCORES_DOWN = "scoresDown";
    public static final String SCORES_UP = "scoresUp";
    /** Prefix of the per-reason rejection counters, e.g. {@code rejected_ledger_block}. */
    public static final String REJECTED_PREFIX = "rejected_";
    /** Delivered transfers through the membrane so far. */
    public static final String TRANSFERS = "transfers";
    /** Transfers whose mission delivered nothing (SPEC §7.1 step 6). */
    public static final String ABSORBED = "absorbed";

    // :Transfer
    public static final String DIRECTION = "direction";
    public static final String MEMBRANE = "membrane";
    public static final String SCORE = "score";
    public static final String TARGET = "target";
    public static final String MISSION = "mission";
    public static final String OUTCOMES = "outcomes";
    /** The stimulus whose flip caused the transfer, and its source (which mission outcomes teach, SPEC §8). */
    public static final String CAUSE = "cause";
    public static final String CAUSE_SOURCE = "causeSource";
    public static final String TARGET_NODES = "targetNodes";
    public static final String KAPPA = "kappa";
    public static final String INTENSITY = "intensity";
    /** Transfer statuses (SPEC §7.1 step 6): the mission delivered energy, or nothing at all. */
    public static final String TRANSFER_DELIVERED = "delivered";
    public static final String TRANSFER_ABSORBED = "absorbed";

    // :Outcome
    public static final String OUTCOME_TARGET = "target";

    /** Channel of mission stimuli (SPEC §7.1). */
    public static final String MISSION_CHANNEL = "membrane.mission";
    /** Source kind of mission stimuli: {@code membrane:<from>><to>}. */
    public static final String MEMBRANE_SOURCE_PREFIX = "membrane:";

    // Schema names created by membrane.setup
    public static final String NODE_TEXT_INDEX = "membrane_node_text";
    public static final String NODE_EMBEDDING_INDEX = "membrane_node_embedding";
    public static final String NODE_ENGINE_INDEX = "membrane_node_engine";
    public static final String ACTIVE_ENGINE_INDEX = "membrane_active_engine";
    public static final String NODE_PERIPHERAL_INDEX = "membrane_node_engine_peripheral";
    public static final String STIMULUS_DEDUPE_INDEX = "membrane_stimulus_dedupe";
    public static final String STIMULUS_TS_INDEX = "membrane_stimulus_ts";
    public static final String ENGINE_SCOPE_INDEX = "membrane_engine_scope";
}
