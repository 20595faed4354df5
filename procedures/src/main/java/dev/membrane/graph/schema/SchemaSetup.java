package dev.membrane.graph.schema;

import dev.membrane.graph.model.GraphModel;
import org.neo4j.graphdb.Label;
import org.neo4j.graphdb.Transaction;
import org.neo4j.graphdb.schema.ConstraintDefinition;
import org.neo4j.graphdb.schema.ConstraintType;
import org.neo4j.graphdb.schema.IndexDefinition;
import org.neo4j.graphdb.schema.IndexSetting;
import org.neo4j.graphdb.schema.IndexType;
import org.neo4j.graphdb.schema.Schema;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * SPEC §2 {@code membrane.setup}: creates the constraints and indexes idempotently through the Core schema API
 * (no Cypher text, so nothing from the caller is ever spliced into a statement). An equivalent constraint or index
 * under another name counts as existing; a vector index with other dimensions is reported as a conflict.
 */
public final class SchemaSetup {

    private static final List<Label> UNIQUE_ID_LABELS = List.of(GraphModel.ENGINE, GraphModel.NODE, GraphModel.SOURCE,
            GraphModel.STIMULUS, GraphModel.TRANSFER, GraphModel.SUBENTITY, GraphModel.OUTCOME);

    private SchemaSetup() {
    }

    public static List<SchemaItem> apply(Transaction tx, int embeddingDimensions, boolean quantization) {
        Schema schema = tx.schema();
        List<SchemaItem> out = new ArrayList<>();
        for (Label label : UNIQUE_ID_LABELS) {
            out.add(uniqueId(schema, label));
        }
        out.add(index(schema, GraphModel.NODE, GraphModel.NODE_ENGINE_INDEX, IndexType.RANGE, List.of(GraphModel.ENGINE_ID), Map.of()));
        out.add(index(schema, GraphModel.ACTIVE, GraphModel.ACTIVE_ENGINE_INDEX, IndexType.RANGE, List.of(GraphModel.ENGINE_ID), Map.of()));
        out.add(index(schema, GraphModel.NODE, GraphModel.NODE_PERIPHERAL_INDEX, IndexType.RANGE,
                List.of(GraphModel.ENGINE_ID, GraphModel.PERIPHERAL), Map.of()));
        out.add(index(schema, GraphModel.STIMULUS, GraphModel.STIMULUS_DEDUPE_INDEX, IndexType.RANGE,
                List.of(GraphModel.DEDUPE_KEY), Map.of()));
        out.add(index(schema, GraphModel.STIMULUS, GraphModel.STIMULUS_TS_INDEX, IndexType.RANGE, List.of(GraphModel.TS), Map.of()));
        out.add(index(schema, GraphModel.ENGINE, GraphModel.ENGINE_SCOPE_INDEX, IndexType.RANGE, List.of(GraphModel.SCOPE), Map.of()));
        out.add(index(schema, GraphModel.NODE, GraphModel.NODE_TEXT_INDEX, IndexType.FULLTEXT, List.of(GraphModel.TEXT), Map.of()));
        out.add(index(schema, GraphModel.NODE, GraphModel.NODE_EMBEDDING_INDEX, IndexType.VECTOR, List.of(GraphModel.EMBEDDING), Map.of(
                IndexSetting.vector_Dimensions(), embeddingDimensions,
                IndexSetting.vector_Similarity_Function(), "COSINE",
                IndexSetting.vector_Quantization_Enabled(), quantization)));
        return out;
    }

    private static SchemaItem uniqueId(Schema schema, Label label) {
        String name = "membrane_" + label.name().toLowerCase() + "_id";
        for (ConstraintDefinition c : schema.getConstraints(label)) {
            if (c.isConstraintType(ConstraintType.UNIQUENESS) && List.of(GraphModel.ID).equals(keys(c.getPropertyKeys()))) {
                return new SchemaItem(name, "uniqueness constraint", SchemaItem.EXISTS,
                        c.getName().equals(name) ? "" : "as " + c.getName());
            }
        }
        schema.constraintFor(label).assertPropertyIsUnique(GraphModel.ID).withName(name).create();
        return new SchemaItem(name, "uniqueness constraint", SchemaItem.CREATED, "(:" + label.name() + " {id}) is unique");
    }

    private static SchemaItem index(Schema schema, Label label, String name, IndexType type, List<String> properties,
                                    Map<IndexSetting, Object> settings) {
        String kind = type.name().toLowerCase() + " index";
        for (IndexDefinition ix : schema.getIndexes(label)) {
            boolean sameName = ix.getName().equals(name);
            boolean sameShape = ix.getIndexType() == type && properties.equals(keys(ix.getPropertyKeys()))
                    && !ix.isRelationshipIndex() && !ix.isMultiTokenIndex();
            if (sameName || sameShape) {
                String mismatch = mismatch(ix, type, settings);
                if (!sameShape || mismatch != null) {
                    return new SchemaItem(name, kind, SchemaItem.CONFLICT, "existing index " + ix.getName() + " differs"
                            + (mismatch == null ? " in type or property" : ": " + mismatch)
                            + "; drop it (DROP INDEX " + ix.getName() + ") and call membrane.setup() again");
                }
                return new SchemaItem(name, kind, SchemaItem.EXISTS, sameName ? "" : "as " + ix.getName());
            }
        }
        var creator = schema.indexFor(label);
        for (String p : properties) {
            creator = creator.on(p);
        }
        creator = creator.withIndexType(type).withName(name);
        if (!settings.isEmpty()) {
            creator = creator.withIndexConfiguration(settings);
        }
        creator.create();
        return new SchemaItem(name, kind, SchemaItem.CREATED, "on (:" + label.name() + ")." + String.join(", ", properties)
                + (type == IndexType.VECTOR ? " (" + settings.get(IndexSetting.vector_Dimensions()) + " dimensions, cosine)" : ""));
    }

    private static String mismatch(IndexDefinition ix, IndexType type, Map<IndexSetting, Object> wanted) {
        if (ix.getIndexType() != type) {
            return "type " + ix.getIndexType() + " instead of " + type;
        }
        Object want = wanted.get(IndexSetting.vector_Dimensions());
        if (want != null) {
            Object have = ix.getIndexConfiguration().get(IndexSetting.vector_Dimensions());
            if (have instanceof Number n && n.intValue() != ((Number) want).intValue()) {
                return "vector.dimensions " + n.intValue() + " instead of " + want + " (embeddingDimensions)";
            }
        }
        return null;
    }

    private static List<String> keys(Iterable<String> it) {
        List<String> out = new ArrayList<>();
        it.forEach(out::add);
        return out;
    }
}
