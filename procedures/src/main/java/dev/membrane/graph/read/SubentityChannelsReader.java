package dev.membrane.graph.read;

import dev.membrane.graph.model.GraphModel;
import dev.membrane.graph.model.PropertyValues;
import dev.membrane.physics.channels.Channel;
import dev.membrane.physics.channels.ChannelPlan;
import dev.membrane.physics.injection.Candidate;
import dev.membrane.physics.support.VectorMath;
import org.neo4j.graphdb.Direction;
import org.neo4j.graphdb.Node;
import org.neo4j.graphdb.Relationship;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Builds the channel plan of SPEC §6.7 from {@code (:Node)-[:MEMBER_OF {weight}]->(:SubEntity)}: each matched node
 * joins its heaviest subentity (ties by id); links and nodes without one share the unaffiliated channel. Reads only
 * the matched nodes' memberships.
 */
public final class SubentityChannelsReader {
    private SubentityChannelsReader() {
    }

    public static ChannelPlan plan(List<Candidate> candidates, Map<String, Node> nodes, float[] stimulus) {
        Map<String, Node> entities = new TreeMap<>();
        Map<String, String> entityOf = new HashMap<>();
        boolean unaffiliated = false;
        for (Candidate c : candidates) {
            Node n = c.isLink() ? null : nodes.get(c.id());
            String best = null;
            double bestWeight = Double.NEGATIVE_INFINITY;
            if (n != null) {
                for (Relationship r : n.getRelationships(Direction.OUTGOING, GraphModel.MEMBER_OF)) {
                    Node e = r.getEndNode();
                    if (!e.hasLabel(GraphModel.SUBENTITY) || !(e.getProperty(GraphModel.ID, null) instanceof String id)) {
                        continue;
                    }
                    double w = PropertyValues.number(r, GraphModel.WEIGHT, 1.0);
                    if (w > bestWeight || (w == bestWeight && id.compareTo(best) < 0)) {
                        best = id;
                        bestWeight = w;
                    }
                    entities.putIfAbsent(id, e);
                }
            }
            if (best == null) {
                unaffiliated = true;
            } else {
                entityOf.put(c.id(), best);
            }
        }
        if (entities.isEmpty()) {
            return ChannelPlan.NONE;
        }
        entities.keySet().retainAll(entityOf.values());
        List<Channel> channels = new ArrayList<>();
        Map<String, Integer> index = new HashMap<>();
        double qn = stimulus == null ? 0 : VectorMath.norm(stimulus);
        for (Map.Entry<String, Node> e : entities.entrySet()) {
            Node s = e.getValue();
            index.put(e.getKey(), channels.size());
            channels.add(new Channel(e.getKey(), affinity(s, stimulus, qn),
                    PropertyValues.number(s, GraphModel.SUCCESS_FLIPS, 0), PropertyValues.number(s, GraphModel.SUCCESS_GAP, 0),
                    PropertyValues.integer(s, GraphModel.OBS, 0)));
        }
        int rest = channels.size();
        if (unaffiliated) {
            channels.add(Channel.unaffiliated());
        }
        Map<String, Integer> channelOf = new HashMap<>();
        for (Candidate c : candidates) {
            String e = entityOf.get(c.id());
            channelOf.put(c.id(), e == null ? rest : index.get(e));
        }
        return new ChannelPlan(List.copyOf(channels), channelOf);
    }

    private static double affinity(Node entity, float[] stimulus, double qn) {
        if (stimulus == null) {
            return 0;
        }
        Object emb = entity.getProperty(GraphModel.EMBEDDING, null);
        if (emb instanceof float[] f && f.length == stimulus.length) {
            return VectorMath.similarity(VectorMath.cosine(stimulus, qn, f));
        }
        if (emb instanceof double[] d && d.length == stimulus.length) {
            return VectorMath.similarity(VectorMath.cosine(stimulus, qn, d));
        }
        return 0;
    }

}
