package dev.membrane.procedures;

import dev.membrane.graph.schema.SchemaItem;
import org.neo4j.procedure.Description;

/** One row of {@code membrane.setup}. */
public final class SchemaRow {
    @Description("Name of the constraint or index.")
    public final String name;
    @Description("Kind: uniqueness constraint, range index, fulltext index or vector index.")
    public final String kind;
    @Description("created, exists, or conflict (see details).")
    public final String status;
    @Description("What was created, under which name it already existed, or how to resolve a conflict.")
    public final String details;

    public SchemaRow(SchemaItem item) {
        this.name = item.name();
        this.kind = item.kind();
        this.status = item.status();
        this.details = item.details();
    }
}
