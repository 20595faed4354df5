package dev.membrane.procedures;

import dev.membrane.extension.MembraneRuntime;
import dev.membrane.pipeline.InjectPipeline;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.graphdb.Transaction;
import org.neo4j.procedure.Context;
import org.neo4j.procedure.Description;
import org.neo4j.procedure.Mode;
import org.neo4j.procedure.Name;
import org.neo4j.procedure.Procedure;

import java.util.Map;
import java.util.stream.Stream;

/** {@code membrane.inject}: a shell over {@link InjectPipeline}. */
public final class InjectProc {
    @Context
    public Transaction tx;

    @Context
    public GraphDatabaseService db;

    @Context
    public MembraneRuntime runtime;

    @Procedure(name = "membrane.inject", mode = Mode.WRITE)
    @Description("Injects one stimulus into one engine (SPEC §6, without integrator or membrane; for tests and tools): "
            + "retrieval, entropy-coverage selection, gap-capped budget and distribution, flips, audit. "
            + "Returns one row with the full attribution.")
    public Stream<InjectionRow> inject(
            @Name(value = "engine", description = "Id of the :Engine whose nodes receive the stimulus.") String engine,
            @Name(value = "stimulus", description = "Envelope fields (SPEC §3): content and/or embedding or targetNodes; "
                    + "optional id, source, channel, features, ts.") Map<String, Object> stimulus,
            @Name(value = "config", defaultValue = "{}", description = "Overrides of membrane.config() keys for this call.")
            Map<String, Object> config) {
        return Stream.of(new InjectionRow(InjectPipeline.run(tx, db, runtime, engine, stimulus, config)));
    }
}
