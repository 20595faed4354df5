package dev.membrane.pipeline;

import dev.membrane.config.ConfigKey;
import dev.membrane.config.MembraneConfig;
import dev.membrane.events.PendingEvent;
import dev.membrane.events.TransactionBuffers;
import dev.membrane.graph.model.GraphModel;
import dev.membrane.graph.model.PropertyValues;
import dev.membrane.graph.write.MembraneStore;
import dev.membrane.physics.energy.HalfLifeDecay;
import dev.membrane.physics.injection.InjectionOutcome;
import dev.membrane.physics.injection.ItemOutcome;
import dev.membrane.physics.integrator.SourceState;
import dev.membrane.physics.membrane.Axes;
import dev.membrane.physics.membrane.Direction;
import dev.membrane.physics.membrane.Export;
import dev.membrane.physics.membrane.ExportGates;
import dev.membrane.physics.membrane.GateResult;
import dev.membrane.physics.membrane.TransferScore;
import dev.membrane.physics.support.ContentHash;
import dev.membrane.physics.support.VectorMath;
import dev.membrane.protocol.Envelope;
import dev.membrane.protocol.EventType;
import dev.membrane.protocol.Feature;
import dev.membrane.protocol.Features;
import dev.membrane.protocol.Origin;
import dev.membrane.protocol.Scope;
import org.neo4j.graphdb.Node;
import org.neo4j.graphdb.Relationship;
import org.neo4j.graphdb.Transaction;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * SPEC §7: after an engine's flips, the membranes decide what crosses. Downward (an org node flipped): the citizens
 * below whose engine or nodes are structurally aligned with it (fit > fitMin) are candidates; each candidate's
 * membrane scores {@code sat(flow)·fit·(1 − 0.5·harm)·κ↓} and applies the five defences; the best
 * {@code maxTargets} by fit·κ↓·urgency get a transfer and a mission. Upward (a citizen node aligned with an upper
 * node flipped): one candidate, the upper engine, scored by SPEC §7.2. No routing table and no client input picks
 * a target: alignment, κ and the gates do.
 */
final class MembraneCrossing {

    /** A transfer that passed the gates: its mission is integrated into {@code target} only. */
    record Mission(String transferId, Direction direction, Relationship membrane, String from, String to, Node flipped,
                   double score, double fit, double kappa, Envelope envelope, String hash) {
    }

    private record Candidate(Relationship membrane, String otherEngine, double fit, double kappa, double score, Axes axes,
                             String hash, double flowBefore) {
    }

    private final Transaction tx;
    private final MembraneConfig config;
    private final long now;
    private final TransactionBuffers.Buffer buffer;
    private final ExportGates gates;
    private final TransferScore scoring;
    private final HalfLifeDecay flowDecay;

    MembraneCrossing(Transaction tx, MembraneConfig config, long now, TransactionBuffers.Buffer buffer) {
        this.tx = tx;
        this.config = config;
        this.now = now;
        this.buffer = buffer;
        this.gates = config.exportGates();
        this.scoring = config.transferScore();
        this.flowDecay = new HalfLifeDecay(config.longValue(ConfigKey.FLOW_HALF_LIFE_MS));
    }

    List<Mission> afterInjection(Envelope cause, String engineId, Node engine, InjectionOutcome outcome,
                                 Map<String, Node> nodes, SourceState source) {
        List<Mission> missions = new ArrayList<>();
        for (ItemOutcome item : outcome.items()) {
            if (!item.flipped()) {
                continue;
            }
            Node n = nodes.get(item.nodeId());
            Map<String, Double> fits = fits(n, engineId);
            List<Candidate> down = new ArrayList<>();
            for (Relationship m : engine.getRelationships(org.neo4j.graphdb.Direction.INCOMING, GraphModel.MEMBRANE_TO)) {
                String citizen = (String) m.getStartNode().getProperty(GraphModel.ID, null);
                Double fit = fits.get(citizen);
                if (fit != null && fit > config.doubleValue(ConfigKey.FIT_MIN)) {
                    evaluate(Direction.DOWN, cause, n, m, citizen, fit, source).ifPresent(down::add);
                }
            }
            double urgency = cause.features().get(Feature.URGENCY);
            down.sort(Comparator.comparingDouble((Candidate c) -> -(c.fit() * c.kappa() * urgency)).thenComparing(Candidate::otherEngine));
            List<String> targets = down.stream().limit(config.intValue(ConfigKey.MAX_TARGETS)).map(Candidate::otherEngine).toList();
            for (Candidate c : down.subList(0, targets.size())) {
                missions.add(transfer(Direction.DOWN, cause, engineId, n, c, targets));
            }
            for (Relationship m : engine.getRelationships(org.neo4j.graphdb.Direction.OUTGOING, GraphModel.MEMBRANE_TO)) {
                String upper = (String) m.getEndNode().getProperty(GraphModel.ID, null);
                Double fit = fits.get(upper);
                if (fit != null) {
                    evaluate(Direction.UP, cause, n, m, upper, fit, source)
                            .ifPresent(c -> missions.add(transfer(Direction.UP, cause, engineId, n, c, List.of(upper))));
                }
            }
        }
        return missions;
    }

    /** Max fit per other engine over the alignment edges of {@code n} and of the subentities it belongs to. */
    private static Map<String, Double> fits(Node n, String ownEngine) {
        Map<String, Double> out = new HashMap<>();
        List<Node> sides = new ArrayList<>();
        sides.add(n);
        n.getRelationships(org.neo4j.graphdb.Direction.OUTGOING, GraphModel.MEMBER_OF).forEach(r -> sides.add(r.getEndNode()));
        for (Node side : sides) {
            for (Relationship r : side.getRelationships(org.neo4j.graphdb.Direction.BOTH, GraphModel.ALIGNMENT)) {
                Node o = r.getOtherNode(side);
                String engine = o.hasLabel(GraphModel.ENGINE) ? (String) o.getProperty(GraphModel.ID, null)
                        : (String) o.getProperty(GraphModel.ENGINE_ID, null);
                if (engine != null && !engine.equals(ownEngine)) {
                    double fit = Math.max(0, Math.min(1, PropertyValues.number(r, GraphModel.FIT, 1.0)));
                    out.merge(engine, fit, Math::max);
                }
            }
        }
        return out;
    }

    private java.util.Optional<Candidate> evaluate(Direction d, Envelope cause, Node n, Relationship m, String other,
                                                  double fit, SourceState source) {
        tx.acquireWriteLock(m);
        double kappa = MembraneStore.kappa(m, d, d == Direction.DOWN ? config.doubleValue(ConfigKey.KAPPA_DOWN_DEFAULT)
                : config.doubleValue(ConfigKey.KAPPA_UP_DEFAULT));
        double flow = flowDecay.decay(PropertyValues.number(m, GraphModel.FLOW, 0), PropertyValues.integer(m, GraphModel.FLOW_AT, now), now);
        List<Export> history = MembraneStore.history(m);
        double novelty = novelty(n, gates.recent(history, d, now));
        Features f = cause.features();
        double score = d == Direction.DOWN
                ? scoring.down(flow, fit, source.harm(), kappa)
                : scoring.up(flow, source.trust(), f.get(Feature.UNCERTAINTY), source.harm(), novelty, f.get(Feature.URGENCY),
                f.get(Feature.SCALE), kappa);
        Axes axes = new Axes(novelty, fit, source.utility(), source.trust());
        String hash = ContentHash.of(n.getProperty(GraphModel.ID, "").toString(), cause.content());
        List<String> hashes = new ArrayList<>();
        hashes.add(hash);
        if (cause.provenance().get(PROVENANCE_HASH) instanceof String carried) {
            hashes.add(carried);
        }
        GateResult verdict = gates.check(d, cause.originChainDepth(), axes, score, hashes, now, MembraneStore.exportOn(m, d),
                history, MembraneStore.scores(m, d));
        MembraneStore.setExportOn(m, d, verdict.exportOn());
        if (!"depth".equals(verdict.reason())) {
            MembraneStore.addScore(m, d, score, config.intValue(ConfigKey.MAD_EXPORT_WINDOW));
        }
        if (!verdict.passed()) {
            MembraneStore.countRejection(m, verdict.reason());
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("membrane", MembraneStore.name(m));
            p.put("direction", d.wire());
            p.put("reason", verdict.reason());
            p.put("axes", axes.toMap());
            p.put("score", score);
            p.put("nodeId", n.getProperty(GraphModel.ID, null));
            buffer.add(new PendingEvent(EventType.MEMBRANE_EXPORT_REJECTED, now, other, cause.id(), p));
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(new Candidate(m, other, fit, kappa, score, axes, hash, flow));
    }

    /** 1 − max cos(node, nodes recently exported through this membrane in this direction); 1 with nothing to compare. */
    private double novelty(Node n, List<Export> recent) {
        float[] v = PropertyValues.embedding(n, GraphModel.EMBEDDING, -1);
        String id = (String) n.getProperty(GraphModel.ID, "");
        if (v == null) {
            return recent.stream().anyMatch(e -> e.nodeId().equals(id)) ? 0 : 1;
        }
        double best = 0;
        for (Export e : recent) {
            Node other = e.nodeId().equals(id) ? n : tx.findNode(GraphModel.NODE, GraphModel.ID, e.nodeId());
            float[] o = other == null ? null : PropertyValues.embedding(other, GraphModel.EMBEDDING, v.length);
            if (o != null) {
                best = Math.max(best, VectorMath.similarity(VectorMath.cosine(v, o)));
            }
        }
        return 1 - best;
    }

    /** Provenance key of a mission: the content hash it carried across, for the ledger of its echo. */
    static final String PROVENANCE_HASH = "membraneHash";

    private Mission transfer(Direction d, Envelope cause, String engineId, Node n, Candidate c, List<String> targets) {
        String from = engineId;
        String to = c.otherEngine();
        String nodeId = (String) n.getProperty(GraphModel.ID, "");
        String key = ContentHash.of(cause.id(), nodeId, to, d.wire());
        String transferId = "transfer-" + key;
        String missionId = "mission-" + key;
        Relationship m = c.membrane();
        m.setProperty(GraphModel.FLOW, c.flowBefore() + 1);
        m.setProperty(GraphModel.FLOW_AT, now);
        MembraneStore.record(m, new Export(now, d, c.hash(), nodeId, c.axes().novelty(), c.axes().fit(), c.axes().utility(),
                c.axes().trust(), c.score()), config.intValue(ConfigKey.MEMBRANE_HISTORY));

        Node target = tx.findNode(GraphModel.ENGINE, GraphModel.ID, to);
        Node t = tx.createNode(GraphModel.TRANSFER);
        t.setProperty(GraphModel.ID, transferId);
        t.setProperty(GraphModel.DIRECTION, d.wire());
        t.setProperty(GraphModel.MEMBRANE, MembraneStore.name(m));
        t.setProperty(GraphModel.SCORE, c.score());
        t.setProperty(GraphModel.TS, now);
        t.setProperty(GraphModel.STATUS, "delivered");
        t.setProperty(GraphModel.TARGET, to);
        t.setProperty(GraphModel.MISSION, missionId);
        t.createRelationshipTo(n, GraphModel.FROM);
        t.createRelationshipTo(target, GraphModel.TO);

        Map<String, Object> p = new LinkedHashMap<>();
        p.put("transferId", transferId);
        p.put("membrane", MembraneStore.name(m));
        p.put("from", engineId);
        p.put("to", to);
        p.put("nodeId", nodeId);
        p.put("score", c.score());
        p.put("fit", c.fit());
        p.put("kappa", c.kappa());
        p.put("targets", targets);
        buffer.add(new PendingEvent(d == Direction.DOWN ? EventType.MEMBRANE_TRANSFER_DOWN : EventType.MEMBRANE_TRANSFER_UP,
                now, engineId, cause.id(), p));

        Map<Feature, Double> features = new EnumMap<>(Feature.class);
        for (Feature f : Feature.values()) {
            if (f != Feature.TRUST) {
                features.put(f, cause.features().get(f));
            }
        }
        features.put(Feature.INTENSITY, Math.min(1, c.score()));
        features.put(Feature.NOVELTY, c.axes().novelty());
        float[] embedding = PropertyValues.embedding(n, GraphModel.EMBEDDING, config.intValue(ConfigKey.EMBEDDING_DIMENSIONS));
        String content = n.getProperty(GraphModel.TEXT, nodeId).toString();
        Scope scope = Scope.fromWire(String.valueOf(target.getProperty(GraphModel.SCOPE, ""))).orElse(
                d == Direction.DOWN ? Scope.PERSONAL : Scope.ORGANIZATIONAL);
        Map<String, Object> provenance = new LinkedHashMap<>();
        provenance.put("cause", cause.id());
        provenance.put("transferId", transferId);
        provenance.put(PROVENANCE_HASH, c.hash());
        Envelope mission = new Envelope(missionId, now, scope,
                GraphModel.MEMBRANE_SOURCE_PREFIX + from + ">" + to,
                GraphModel.MISSION_CHANNEL, content, embedding, Features.of(features), Origin.SELF_OBSERVATION,
                cause.originChainDepth() + 1, 0, null, List.of(), provenance, Map.of());
        return new Mission(transferId, d, m, from, to, n, c.score(), c.fit(), c.kappa(), mission, c.hash());
    }
}
