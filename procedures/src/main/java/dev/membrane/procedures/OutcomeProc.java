package dev.membrane.procedures;

import dev.membrane.extension.MembraneRuntime;
import dev.membrane.pipeline.OutcomePipeline;
import org.neo4j.graphdb.Transaction;
import org.neo4j.procedure.Context;
import org.neo4j.procedure.Description;
import org.neo4j.procedure.Mode;
import org.neo4j.procedure.Name;
import org.neo4j.procedure.Procedure;

import java.util.Map;
import java.util.stream.Stream;

/** {@code membrane.outcome}: a shell over {@link OutcomePipeline}. */
public final class OutcomeProc {
    @Context
    public Transaction tx;

    @Context
    public org.neo4j.graphdb.GraphDatabaseService db;

    @Context
    public MembraneRuntime runtime;

    @Procedure(name = "membrane.outcome", mode = Mode.WRITE)
    @Description("Reports what a stimulus (or a membrane transfer) turned out to be worth (SPEC §8): updates the "
            + "source's trust, utility and harm, the success of the subentities it reached, and the direction evidence "
            + "of links among the nodes it flipped; a transfer's outcome moves κ of its membrane and teaches the source "
            + "whose stimulus caused it. Unknown ids and absorbed transfers get an error row; a repeated outcomeId a "
            + "duplicate row.")
    public Stream<OutcomeRow> outcome(
            @Name(value = "outcome", description = "{stimulusId | transferId, outcomeId?: string (an outcome counts once), "
                    + "success: bool, utility: 0..1, harm: 0..1, outcome: -1..1}") Map<String, Object> outcome,
            @Name(value = "config", defaultValue = "{}", description = "Overrides of membrane.config() keys for this call.")
            Map<String, Object> config) {
        return Stream.of(new OutcomeRow(OutcomePipeline.run(tx, db, runtime, outcome, config)));
    }

    /** The answer. */
    public static final class OutcomeRow {
        @Description("The stimulus or transfer id.")
        public final String id;
        @Description("stimulus or transfer.")
        public final String kind;
        @Description("updated, duplicate (this outcomeId was applied before: nothing changed) or error (see reason).")
        public final String status;
        @Description("Why the outcome could not be applied.")
        public final String reason;
        @Description("The source that learned (for a transfer: the source whose stimulus caused the flip).")
        public final String source;
        @Description("The source's trust after learning.")
        public final Double trust;
        @Description("The source's utility after learning.")
        public final Double utility;
        @Description("The source's harm after learning.")
        public final Double harm;
        @Description("For a transfer: the membrane it crossed.")
        public final String membrane;
        @Description("For a transfer: κ of the direction used, after learning.")
        public final Double kappa;

        OutcomeRow(OutcomePipeline.Result r) {
            this.id = r.id();
            this.kind = r.kind();
            this.status = r.status();
            this.reason = r.reason();
            this.source = r.source();
            this.trust = r.trust();
            this.utility = r.utility();
            this.harm = r.harm();
            this.membrane = r.membrane();
            this.kappa = r.kappa();
        }
    }
}
