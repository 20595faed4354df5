package dev.membrane.pipeline;

import dev.membrane.config.ConfigKey;
import dev.membrane.config.MembraneConfig;
import dev.membrane.events.TransactionBuffers;
import dev.membrane.extension.MembraneRuntime;
import dev.membrane.graph.model.GraphModel;
import dev.membrane.graph.read.NodeStates;
import dev.membrane.graph.write.ActiveSweep;
import dev.membrane.graph.write.DirectionEvidence;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.graphdb.Node;
import org.neo4j.graphdb.ResourceIterator;
import org.neo4j.graphdb.Transaction;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code membrane.tick} (SPEC §10): the housekeeping that lazy decay leaves to a sweep. It touches only the tracked
 * active set ({@code :Active} nodes), the engines that report active nodes, and expired audit nodes (through the
 * {@code Stimulus.ts} index), never every node of the graph:
 * <ol>
 *   <li>deactivate nodes that decayed below their deactivation level ({@code node.deactivated}) and store each
 *   engine's exact {@code activeCount};</li>
 *   <li>add direction evidence on links whose ends both flipped within {@code precedenceWindowMs};</li>
 *   <li>delete {@code :Stimulus} audit nodes older than {@code auditRetentionMs} (at most {@code tickPruneLimit}).</li>
 * </ol>
 */
public final class TickPipeline {
    private static final String PRUNE = """
            MATCH (s:Stimulus) WHERE s.ts < $cutoff
            WITH s LIMIT $limit
            DETACH DELETE s
            RETURN count(*) AS pruned""";
    /** Remembered outcome ids expire with the audit: an outcomeId repeated after auditRetentionMs counts again. */
    private static final String PRUNE_OUTCOMES = """
            MATCH (o:Outcome) WHERE o.ts < $cutoff
            WITH o LIMIT $limit
            DELETE o
            RETURN count(*) AS pruned""";

    /** What one tick did. */
    public record Result(long deactivated, long engines, long evidence, long pruned, long active, double ms) {
    }

    private TickPipeline() {
    }

    public static Result run(Transaction tx, GraphDatabaseService db, MembraneRuntime runtime, Map<String, Object> callConfig) {
        long t0 = System.nanoTime();
        MembraneConfig config = runtime.config(callConfig);
        long now = config.now(runtime.clock());
        NodeStates states = new NodeStates(config, now);
        TransactionBuffers.Buffer buffer = runtime.database(db).buffers().of(tx);

        List<Node> flagged = new ArrayList<>();
        try (ResourceIterator<Node> it = tx.findNodes(GraphModel.ACTIVE)) {
            it.forEachRemaining(flagged::add);
        }
        Map<String, Long> activeByEngine = new HashMap<>();
        long deactivated = 0;
        long evidence = 0;
        long windowMs = config.longValue(ConfigKey.PRECEDENCE_WINDOW_MS);
        for (Node n : flagged) {
            String engine = n.getProperty(GraphModel.ENGINE_ID, null) instanceof String e ? e : null;
            evidence += DirectionEvidence.addFrom(n, windowMs);
            if (ActiveSweep.keepOrDeactivate(n, states, buffer, null)) {
                activeByEngine.merge(engine, 1L, Long::sum);
            } else {
                deactivated++;
            }
        }
        long engines = 0;
        try (ResourceIterator<Node> it = tx.findNodes(GraphModel.ENGINE)) {
            while (it.hasNext()) {
                Node e = it.next();
                long stored = e.getProperty(GraphModel.ACTIVE_COUNT, 0L) instanceof Number x ? x.longValue() : 0;
                long actual = activeByEngine.getOrDefault(e.getProperty(GraphModel.ID, null), 0L);
                if (stored != actual) {
                    e.setProperty(GraphModel.ACTIVE_COUNT, actual);
                    engines++;
                }
            }
        }
        long pruned = 0;
        int limit = config.intValue(ConfigKey.TICK_PRUNE_LIMIT);
        if (limit > 0) {
            Map<String, Object> params = Map.of("cutoff", now - config.longValue(ConfigKey.AUDIT_RETENTION_MS), "limit", (long) limit);
            try (org.neo4j.graphdb.Result r = tx.execute(PRUNE, params)) {
                pruned = ((Number) r.next().get("pruned")).longValue();
            }
            try (org.neo4j.graphdb.Result r = tx.execute(PRUNE_OUTCOMES, params)) {
                r.accept(row -> false);
            }
        }
        long active = activeByEngine.values().stream().mapToLong(Long::longValue).sum();
        return new Result(deactivated, engines, evidence, pruned, active, (System.nanoTime() - t0) / 1e6);
    }
}
