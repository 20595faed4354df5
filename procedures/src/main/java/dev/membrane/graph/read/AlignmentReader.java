package dev.membrane.graph.read;

import dev.membrane.graph.model.GraphModel;
import dev.membrane.graph.model.PropertyValues;
import dev.membrane.physics.membrane.Alignment;
import org.neo4j.graphdb.Direction;
import org.neo4j.graphdb.Node;
import org.neo4j.graphdb.Relationship;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * SPEC §7.1 step 1: reads the alignment edges ({@code LIFTS_TO|CORRESPONDS_TO|SUPPORTS}, either direction, missing
 * fit = 1) of a flipped node and of the subentities it belongs to, and says per other engine which of its nodes they
 * reach: a {@code :Node} directly, a {@code :SubEntity} through its member nodes, an {@code :Engine} as the engine
 * itself.
 */
public final class AlignmentReader {
    private AlignmentReader() {
    }

    public static Map<String, Alignment> of(Node flipped, String ownEngine) {
        Alignment.Builder b = new Alignment.Builder();
        List<Node> sides = new ArrayList<>();
        sides.add(flipped);
        flipped.getRelationships(Direction.OUTGOING, GraphModel.MEMBER_OF).forEach(r -> sides.add(r.getEndNode()));
        for (Node side : sides) {
            for (Relationship r : side.getRelationships(Direction.BOTH, GraphModel.ALIGNMENT)) {
                Node o = r.getOtherNode(side);
                double fit = PropertyValues.number(r, GraphModel.FIT, 1.0);
                if (o.hasLabel(GraphModel.ENGINE)) {
                    if (o.getProperty(GraphModel.ID, null) instanceof String engine && !engine.equals(ownEngine)) {
                        b.add(engine, null, fit);
                    }
                } else if (o.hasLabel(GraphModel.SUBENTITY)) {
                    for (Relationship member : o.getRelationships(Direction.INCOMING, GraphModel.MEMBER_OF)) {
                        add(b, member.getStartNode(), ownEngine, fit);
                    }
                } else {
                    add(b, o, ownEngine, fit);
                }
            }
        }
        return b.build();
    }

    private static void add(Alignment.Builder b, Node n, String ownEngine, double fit) {
        if (n.getProperty(GraphModel.ENGINE_ID, null) instanceof String engine && !engine.equals(ownEngine)
                && n.getProperty(GraphModel.ID, null) instanceof String id) {
            b.add(engine, id, fit);
        }
    }
}
