package dev.membrane.graph.write;

import dev.membrane.graph.model.GraphModel;
import dev.membrane.graph.model.PropertyValues;
import org.neo4j.graphdb.Direction;
import org.neo4j.graphdb.Node;
import org.neo4j.graphdb.Relationship;

/**
 * SPEC §6.7 direction evidence: when both ends of a link flipped within {@code precedenceWindowMs}, the earlier
 * end's direction counter grows by one ({@code fwd} when the start node flipped first). Each flip pair counts once:
 * the link remembers the later flip time it last counted.
 */
public final class DirectionEvidence {
    private DirectionEvidence() {
    }

    /** Adds the evidence of the outgoing links of {@code a} to nodes of its engine; returns how many were added. */
    public static int addFrom(Node a, long windowMs) {
        Object engine = a.getProperty(GraphModel.ENGINE_ID, null);
        if (engine == null || !a.hasProperty(GraphModel.REFRACTORY_AT)) {
            return 0;
        }
        long ta = PropertyValues.integer(a, GraphModel.REFRACTORY_AT, 0);
        int added = 0;
        for (Relationship r : a.getRelationships(Direction.OUTGOING)) {
            Node b = r.getEndNode();
            if (!b.hasLabel(GraphModel.NODE) || !engine.equals(b.getProperty(GraphModel.ENGINE_ID, null))
                    || !b.hasProperty(GraphModel.REFRACTORY_AT)) {
                continue;
            }
            long tb = PropertyValues.integer(b, GraphModel.REFRACTORY_AT, 0);
            long later = Math.max(ta, tb);
            if (ta == tb || Math.abs(ta - tb) > windowMs || PropertyValues.integer(r, GraphModel.EVIDENCE_AT, Long.MIN_VALUE) >= later) {
                continue;
            }
            String counter = ta < tb ? GraphModel.FWD : GraphModel.BWD;
            r.setProperty(counter, PropertyValues.integer(r, counter, 0) + 1);
            r.setProperty(GraphModel.EVIDENCE_AT, later);
            added++;
        }
        return added;
    }
}
