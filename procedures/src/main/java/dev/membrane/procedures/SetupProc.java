package dev.membrane.procedures;

import dev.membrane.config.ConfigKey;
import dev.membrane.config.MembraneConfig;
import dev.membrane.extension.MembraneRuntime;
import dev.membrane.graph.schema.SchemaSetup;
import org.neo4j.graphdb.Transaction;
import org.neo4j.procedure.Context;
import org.neo4j.procedure.Description;
import org.neo4j.procedure.Mode;
import org.neo4j.procedure.Name;
import org.neo4j.procedure.Procedure;

import java.util.Map;
import java.util.stream.Stream;

/** {@code membrane.setup}: a shell over {@link SchemaSetup}. */
public final class SetupProc {
    @Context
    public Transaction tx;

    @Context
    public MembraneRuntime runtime;

    @Procedure(name = "membrane.setup", mode = Mode.SCHEMA)
    @Description("Creates Membrane's constraints and indexes (unique ids of Engine, Node, Source, Stimulus, Transfer, "
            + "SubEntity; range index on Node.engine; full-text on Node.text; vector index on Node.embedding). "
            + "Idempotent. Indexes populate in the background: CALL db.awaitIndexes() before heavy use.")
    public Stream<SchemaRow> setup(
            @Name(value = "config", defaultValue = "{}",
                    description = "Overrides of membrane.config() keys; embeddingDimensions and vectorQuantization apply.")
            Map<String, Object> config) {
        MembraneConfig c = runtime.config(config);
        return SchemaSetup.apply(tx, c.intValue(ConfigKey.EMBEDDING_DIMENSIONS), c.booleanValue(ConfigKey.VECTOR_QUANTIZATION))
                .stream().map(SchemaRow::new);
    }
}
