package dev.membrane.procedures;

import dev.membrane.extension.MembraneRuntime;
import dev.membrane.pipeline.TickPipeline;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.graphdb.Transaction;
import org.neo4j.procedure.Context;
import org.neo4j.procedure.Description;
import org.neo4j.procedure.Mode;
import org.neo4j.procedure.Name;
import org.neo4j.procedure.Procedure;

import java.util.Map;
import java.util.stream.Stream;

/** {@code membrane.tick}: a shell over {@link TickPipeline}. */
public final class TickProc {
    @Context
    public Transaction tx;

    @Context
    public GraphDatabaseService db;

    @Context
    public MembraneRuntime runtime;

    @Procedure(name = "membrane.tick", mode = Mode.WRITE)
    @Description("Housekeeping (SPEC §10): deactivates nodes that decayed (node.deactivated), repairs activeCount, adds "
            + "link direction evidence from flip order, prunes expired audit. Touches only the tracked active set and "
            + "expired audit nodes. Schedule it, e.g. CALL apoc.periodic.repeat('membrane-tick', 'CALL membrane.tick()', 10).")
    public Stream<TickRow> tick(
            @Name(value = "config", defaultValue = "{}", description = "Overrides of membrane.config() keys for this call.")
            Map<String, Object> config) {
        return Stream.of(new TickRow(TickPipeline.run(tx, db, runtime, config)));
    }

    /** What the tick did. */
    public static final class TickRow {
        @Description("Nodes deactivated.")
        public final long deactivated;
        @Description("Engines whose activeCount was repaired.")
        public final long engines;
        @Description("Units of link direction evidence added.")
        public final long evidence;
        @Description("Stimulus audit nodes pruned.")
        public final long pruned;
        @Description("Nodes active after the tick.")
        public final long active;
        @Description("Time taken (ms).")
        public final double ms;

        TickRow(TickPipeline.Result r) {
            this.deactivated = r.deactivated();
            this.engines = r.engines();
            this.evidence = r.evidence();
            this.pruned = r.pruned();
            this.active = r.active();
            this.ms = r.ms();
        }
    }
}
