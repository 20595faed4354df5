package dev.membrane.pipeline;

import dev.membrane.config.ConfigKey;
import dev.membrane.config.MembraneConfig;
import dev.membrane.events.PendingEvent;
import dev.membrane.events.TransactionBuffers;
import dev.membrane.graph.model.GraphModel;
import dev.membrane.graph.model.PropertyValues;
import dev.membrane.graph.read.AlignmentReader;
import dev.membrane.graph.write.MembraneStore;
import dev.membrane.graph.write.TransferWriter;
import dev.membrane.physics.energy.HalfLifeDecay;
import dev.membrane.physics.injection.ItemOutcome;
import dev.membrane.physics.integrator.SourceState;
import dev.membrane.physics.membrane.Alignment;
import dev.membrane.physics.membrane.Axes;
import dev.membrane.physics.membrane.Direction;
import dev.membrane.physics.membrane.Export;
import dev.membrane.physics.membrane.ExportGates;
import dev.membrane.physics.membrane.GateResult;
import dev.membrane.physics.membrane.LedgerEntry;
import dev.membrane.physics.membrane.MembraneMemory;
import dev.membrane.physics.membrane.Novelty;
import dev.membrane.physics.membrane.TransferScore;
import dev.membrane.physics.support.ContentHash;
import dev.membrane.protocol.Envelope;
import dev.membrane.protocol.EventType;
import dev.membrane.protocol.Feature;
import dev.membrane.protocol.Features;
import org.neo4j.graphdb.Node;
import org.neo4j.graphdb.Relationship;
import org.neo4j.graphdb.Transaction;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * SPEC §7: after an engine's flips, the membranes decide what crosses. Downward (an org node flipped): the citizens
 * below whose engine or nodes are structurally aligned with it (fit > fitMin) are candidates; each candidate's
 * membrane scores {@code sat(flow)·fit·(1 − 0.5·harm)·κ↓} and applies the five defences; the best
 * {@code maxTargets} by fit·κ↓·urgency get a mission aimed at their aligned nodes. Upward (a citizen node aligned
 * with an upper node flipped): one candidate, the upper engine, scored by SPEC §7.2. No routing table and no client
 * input picks a target: alignment, κ and the gates do.
 * <p>
 * Two steps, so that nothing is written before it happened: {@link #plan} runs the gates and records each attempt in
 * the ledger (which must see it before the mission runs, or the mission's own echo would pass); {@link #settle}, once
 * the mission was integrated, writes the {@code :Transfer} with what it delivered, and only a delivered transfer adds
 * flow and counts as an export (SPEC §7.1 step 6).
 */
final class MembraneCrossing {

    /** A crossing that passed the gates; its mission is integrated into {@code to} only, then settled. */
    record Mission(String transferId, Direction direction, Relationship membrane, String from, String to, Node flipped,
                   String nodeId, double score, double fit, double kappa, double flowBefore, Axes axes, String hash,
                   Map<String, Double> targets, Envelope envelope, Envelope cause) {
    }

    private record Candidate(Relationship membrane, Alignment alignment, double kappa, double score, Axes axes, String hash,
                             double flowBefore) {
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

    /**
     * The crossings one flip causes: gates run and each attempt enters the ledger; nothing else is written. Called once
     * per flip, after the previous flip's missions were settled, so every crossing sees the exports before it.
     */
    List<Mission> plan(Envelope cause, String engineId, Node engine, Node n, String nodeId, SourceState source) {
        Map<String, Alignment> aligned = AlignmentReader.of(n, engineId);
        if (aligned.isEmpty()) {
            return List.of();
        }
        List<Mission> missions = new ArrayList<>();
        List<Candidate> down = new ArrayList<>();
        for (Relationship m : engine.getRelationships(org.neo4j.graphdb.Direction.INCOMING, GraphModel.MEMBRANE_TO)) {
            Alignment a = aligned.get((String) m.getStartNode().getProperty(GraphModel.ID, null));
            if (a != null && a.fit() > config.doubleValue(ConfigKey.FIT_MIN)) {
                evaluate(Direction.DOWN, cause, n, nodeId, m, a, source).ifPresent(down::add);
            }
        }
        double urgency = cause.features().get(Feature.URGENCY);
        down.sort(Comparator.comparingDouble((Candidate c) -> -(c.alignment().fit() * c.kappa() * urgency))
                .thenComparing(c -> c.alignment().engine()));
        for (Candidate c : down.subList(0, Math.min(down.size(), config.intValue(ConfigKey.MAX_TARGETS)))) {
            missions.add(mission(Direction.DOWN, cause, engineId, n, nodeId, c));
        }
        for (Relationship m : engine.getRelationships(org.neo4j.graphdb.Direction.OUTGOING, GraphModel.MEMBRANE_TO)) {
            Alignment a = aligned.get((String) m.getEndNode().getProperty(GraphModel.ID, null));
            if (a != null) {
                evaluate(Direction.UP, cause, n, nodeId, m, a, source)
                        .ifPresent(c -> missions.add(mission(Direction.UP, cause, engineId, n, nodeId, c)));
            }
        }
        return missions;
    }

    private Optional<Candidate> evaluate(Direction d, Envelope cause, Node n, String nodeId, Relationship m, Alignment a,
                                         SourceState source) {
        tx.acquireWriteLock(m);
        double kappa = MembraneStore.kappa(m, d, d == Direction.DOWN ? config.doubleValue(ConfigKey.KAPPA_DOWN_DEFAULT)
                : config.doubleValue(ConfigKey.KAPPA_UP_DEFAULT));
        double flow = flowDecay.decay(PropertyValues.number(m, GraphModel.FLOW, 0), PropertyValues.integer(m, GraphModel.FLOW_AT, now), now);
        MembraneMemory memory = MembraneStore.memory(m);
        int dims = config.intValue(ConfigKey.EMBEDDING_DIMENSIONS);
        double novelty = Novelty.of(nodeId, PropertyValues.embedding(n, GraphModel.EMBEDDING, -1),
                gates.recent(memory.exports(), d, now), id -> {
                    Node other = tx.findNode(GraphModel.NODE, GraphModel.ID, id);
                    return other == null ? null : PropertyValues.embedding(other, GraphModel.EMBEDDING, dims);
                });
        Features f = cause.features();
        double score = d == Direction.DOWN
                ? scoring.down(flow, a.fit(), source.harm(), kappa)
                : scoring.up(flow, source.trust(), f.get(Feature.UNCERTAINTY), source.harm(), novelty, f.get(Feature.URGENCY),
                f.get(Feature.SCALE), kappa);
        Axes axes = new Axes(novelty, a.fit(), source.utility(), source.trust());
        String hash = ContentHash.of(nodeId, cause.content());
        List<String> hashes = new ArrayList<>();
        hashes.add(hash);
        if (cause.provenance().get(Missions.PROVENANCE_HASH) instanceof String carried) {
            hashes.add(carried);
        }
        GateResult verdict = gates.check(d, cause.originChainDepth(), axes, score, hashes, now, memory);
        MembraneStore.setExportOn(m, d, verdict.exportOn());
        if (!verdict.passed()) {
            MembraneStore.countRejection(m, verdict.reason());
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("membrane", MembraneStore.name(m));
            p.put("direction", d.wire());
            p.put("reason", verdict.reason().wire());
            p.put("axes", axes.toMap());
            p.put("score", score);
            p.put("nodeId", nodeId);
            buffer.add(new PendingEvent(EventType.MEMBRANE_EXPORT_REJECTED, now, a.engine(), cause.id(), p));
            return Optional.empty();
        }
        return Optional.of(new Candidate(m, a, kappa, score, axes, hash, flow));
    }

    private Mission mission(Direction d, Envelope cause, String from, Node n, String nodeId, Candidate c) {
        String to = c.alignment().engine();
        String key = ContentHash.of(cause.id(), nodeId, to, d.wire());
        String transferId = "transfer-" + key;
        MembraneStore.recordAttempt(c.membrane(), new LedgerEntry(now, d, c.hash()), config.intValue(ConfigKey.LEDGER_SIZE));
        Map<String, Double> targets = new LinkedHashMap<>();
        c.alignment().targetNodes(config.intValue(ConfigKey.MAX_TARGET_NODES))
                .forEach(id -> targets.put(id, c.alignment().nodes().get(id)));
        Node target = tx.findNode(GraphModel.ENGINE, GraphModel.ID, to);
        Envelope envelope = Missions.envelope("mission-" + key, now, cause, n, target, d, from, to,
                scoring.missionIntensity(d, c.score(), c.alignment().fit()), c.axes().novelty(), List.copyOf(targets.keySet()),
                transferId, c.hash(), config.intValue(ConfigKey.EMBEDDING_DIMENSIONS));
        return new Mission(transferId, d, c.membrane(), from, to, n, nodeId, c.score(), c.alignment().fit(), c.kappa(),
                c.flowBefore(), c.axes(), c.hash(), targets, envelope, cause);
    }

    /**
     * Writes what the mission did (SPEC §7.1 step 6): the {@code :Transfer} with delivered, flips and status; flow,
     * export and MAD score only when it delivered; the {@code membrane.transfer.down|up} event.
     */
    TransferResult settle(Mission m, IntegrationResult r) {
        boolean delivered = r.delivered() > 0;
        if (delivered) {
            MembraneStore.recordDelivered(m.membrane(), new Export(now, m.direction(), m.hash(), m.nodeId(), m.axes().novelty(),
                            m.axes().fit(), m.axes().utility(), m.axes().trust(), m.score()), m.flowBefore(), now,
                    config.intValue(ConfigKey.MEMBRANE_HISTORY), config.intValue(ConfigKey.MAD_EXPORT_WINDOW));
        } else {
            MembraneStore.recordAbsorbed(m.membrane());
        }
        String membrane = MembraneStore.name(m.membrane());
        List<String> woke = r.engines().stream().filter(en -> en.outcome() != null).flatMap(en -> en.outcome().items().stream())
                .filter(ItemOutcome::flipped).map(ItemOutcome::nodeId).toList();
        double intensity = m.envelope().features().intensity();
        TransferWriter.Crossing crossing = new TransferWriter.Crossing(m.transferId(), m.direction().wire(), membrane, m.score(),
                m.fit(), m.kappa(), intensity, now, m.to(), m.envelope().targetNodes(), m.envelope().id(), m.cause().id(),
                m.cause().source(), r.delivered(), r.flips());
        TransferWriter.write(tx, crossing, m.flipped(), tx.findNode(GraphModel.ENGINE, GraphModel.ID, m.to()),
                tx.findNode(GraphModel.STIMULUS, GraphModel.ID, m.envelope().id()));

        Map<String, Object> p = new LinkedHashMap<>();
        p.put("transferId", m.transferId());
        p.put("membrane", membrane);
        p.put("from", m.from());
        p.put("to", m.to());
        p.put("nodeId", m.nodeId());
        p.put("score", m.score());
        p.put("fit", m.fit());
        p.put("kappa", m.kappa());
        p.put("intensity", intensity);
        p.put("targets", m.envelope().targetNodes());
        p.put("status", crossing.status());
        p.put("delivered", r.delivered());
        p.put("flips", r.flips());
        p.put("flippedNodes", woke);
        buffer.add(new PendingEvent(m.direction() == Direction.DOWN ? EventType.MEMBRANE_TRANSFER_DOWN : EventType.MEMBRANE_TRANSFER_UP,
                now, m.from(), m.cause().id(), p));
        return new TransferResult(m.transferId(), m.direction().wire(), membrane, m.from(), m.to(), m.nodeId(), m.score(), m.fit(),
                m.kappa(), intensity, m.envelope().targetNodes(), m.envelope().id(), crossing.status(), r.delivered(), r.flips(),
                woke, r.transfers());
    }
}
