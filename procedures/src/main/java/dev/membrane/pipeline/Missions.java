package dev.membrane.pipeline;

import dev.membrane.graph.model.GraphModel;
import dev.membrane.graph.model.PropertyValues;
import dev.membrane.physics.membrane.Direction;
import dev.membrane.protocol.Envelope;
import dev.membrane.protocol.Feature;
import dev.membrane.protocol.Features;
import dev.membrane.protocol.Origin;
import dev.membrane.protocol.Scope;
import org.neo4j.graphdb.Node;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one factory of mission envelopes (SPEC §7.1 step 5, §7.2): content and embedding of the flipped node, channel
 * {@code membrane.mission}, source {@code membrane:<from>><to>}, origin {@code self_observation},
 * {@code originChainDepth + 1}, the cause's features but its claimed trust, the given intensity and novelty, the aligned
 * target nodes, and provenance naming the cause, the transfer and the content hash carried across.
 */
final class Missions {
    /** Provenance key of a mission: the content hash it carried across, for the ledger of its echo. */
    static final String PROVENANCE_HASH = "membraneHash";

    private Missions() {
    }

    static Envelope envelope(String id, long now, Envelope cause, Node flipped, Node targetEngine, Direction d, String from,
                             String to, double intensity, double novelty, List<String> targetNodes, String transferId,
                             String hash, int dims) {
        Map<Feature, Double> features = new EnumMap<>(Feature.class);
        for (Feature f : Feature.values()) {
            if (f != Feature.TRUST) {
                features.put(f, cause.features().get(f));
            }
        }
        features.put(Feature.INTENSITY, intensity);
        features.put(Feature.NOVELTY, novelty);
        String nodeId = (String) flipped.getProperty(GraphModel.ID, "");
        Scope scope = Scope.fromWire(String.valueOf(targetEngine.getProperty(GraphModel.SCOPE, "")))
                .orElse(d == Direction.DOWN ? Scope.PERSONAL : Scope.ORGANIZATIONAL);
        Map<String, Object> provenance = new LinkedHashMap<>();
        provenance.put("cause", cause.id());
        provenance.put("transferId", transferId);
        provenance.put(PROVENANCE_HASH, hash);
        return new Envelope(id, now, scope, GraphModel.MEMBRANE_SOURCE_PREFIX + from + ">" + to, GraphModel.MISSION_CHANNEL,
                flipped.getProperty(GraphModel.TEXT, nodeId).toString(), PropertyValues.embedding(flipped, GraphModel.EMBEDDING, dims),
                Features.of(features), Origin.SELF_OBSERVATION, cause.originChainDepth() + 1, 0, null, targetNodes,
                provenance, Map.of());
    }
}
