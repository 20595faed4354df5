package dev.membrane.procedures;

import dev.membrane.extension.MembraneRuntime;
import dev.membrane.pipeline.IntegratePipeline;
import dev.membrane.pipeline.EngineResult;
import dev.membrane.pipeline.IntegrationResult;
import dev.membrane.pipeline.TransferResult;
import dev.membrane.physics.injection.InjectionOutcome;
import dev.membrane.physics.injection.ItemOutcome;
import dev.membrane.physics.injection.LinkOutcome;
import java.util.LinkedHashMap;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.graphdb.Transaction;
import org.neo4j.procedure.Context;
import org.neo4j.procedure.Description;
import org.neo4j.procedure.Mode;
import org.neo4j.procedure.Name;
import org.neo4j.procedure.Procedure;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** {@code membrane.integrate}: a shell over {@link IntegratePipeline}. */
public final class IntegrateProc {
    @Context
    public Transaction tx;

    @Context
    public GraphDatabaseService db;

    @Context
    public MembraneRuntime runtime;

    @Procedure(name = "membrane.integrate", mode = Mode.WRITE)
    @Description("Integrates a batch of envelopes (SPEC §4): validation, idempotency by id and dedupeKey, engine "
            + "self-selection by scope and retrieval (no client names an engine), the source's integrator gain, "
            + "injection into each selected engine, audit and events. One row per envelope, in input order; a bad "
            + "envelope is rejected alone and writes nothing.")
    public Stream<IntegrateRow> integrate(
            @Name(value = "envelopes", description = "List of envelope maps (SPEC §3; the JSON Schema is dev/membrane/protocol/envelope.schema.json in the protocol jar).")
            List<Object> envelopes,
            @Name(value = "config", defaultValue = "{}", description = "Overrides of membrane.config() keys for this call.")
            Map<String, Object> config) {
        return IntegratePipeline.run(tx, db, runtime, envelopes, config).stream().map(IntegrateRow::new);
    }

    /** The answer for one envelope. */
    public static final class IntegrateRow {
        @Description("Envelope id (null when the envelope had no usable id).")
        public final String id;
        @Description("accepted, duplicate or rejected.")
        public final String status;
        @Description("Why rejected (names the field: invalid_field:features.trust …, ttl_expired) or duplicate "
                + "(duplicate_id, duplicate_key); for an accepted envelope that no engine selected, no_engine_selected: why; "
                + "else null.")
        public final String reason;
        @Description("Per engine reached: engine, budget{base, health, source, peripheral, gain, final}, delivered, "
                + "flips, refractoryLoss, items, links.")
        public final List<Map<String, Object>> engines;
        @Description("Energy delivered over all engines.")
        public final double delivered;
        @Description("Flips over all engines.")
        public final long flips;
        @Description("Membrane transfers caused (SPEC §7): transferId, direction, membrane, from, to, nodeId, score, fit, "
                + "kappa, intensity, targetNodes, mission, status (delivered | absorbed), delivered, flips, flippedNodes, transfers.")
        public final List<Map<String, Object>> transfers;

        IntegrateRow(IntegrationResult r) {
            this.id = r.id();
            this.status = r.status().wire();
            this.reason = r.reason();
            this.engines = r.engines().stream().map(IntegrateRow::engine).toList();
            this.delivered = r.delivered();
            this.flips = r.flips();
            this.transfers = r.transfers().stream().map(IntegrateRow::transfer).toList();
        }

        private static Map<String, Object> engine(EngineResult e) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("engine", e.engine());
            InjectionOutcome o = e.outcome();
            if (o != null) {
                m.put("budget", o.budget().toMap());
                m.put("delivered", o.delivered());
                m.put("flips", (long) o.flips());
                m.put("refractoryLoss", o.refractoryLoss());
                m.put("items", o.items().stream().map(ItemOutcome::toMap).toList());
                m.put("links", o.links().stream().map(LinkOutcome::toMap).toList());
            }
            return m;
        }

        private static Map<String, Object> transfer(TransferResult t) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("transferId", t.transferId());
            m.put("direction", t.direction());
            m.put("membrane", t.membrane());
            m.put("from", t.from());
            m.put("to", t.to());
            m.put("nodeId", t.nodeId());
            m.put("score", t.score());
            m.put("fit", t.fit());
            m.put("kappa", t.kappa());
            m.put("intensity", t.intensity());
            m.put("targetNodes", t.targetNodes());
            m.put("mission", t.mission());
            m.put("status", t.status());
            m.put("delivered", t.delivered());
            m.put("flips", t.flips());
            m.put("flippedNodes", t.flippedNodes());
            m.put("transfers", t.transfers().stream().map(IntegrateRow::transfer).toList());
            return m;
        }
    }
}
