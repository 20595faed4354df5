package dev.membrane.graph.read;

import dev.membrane.config.ConfigKey;
import dev.membrane.config.MembraneConfig;
import dev.membrane.graph.cache.EngineSnapshot;
import dev.membrane.graph.cache.EngineSnapshots;
import dev.membrane.graph.model.GraphModel;
import dev.membrane.physics.support.VectorMath;
import dev.membrane.protocol.Envelope;
import dev.membrane.protocol.EnvelopeException;
import org.neo4j.graphdb.Node;
import org.neo4j.graphdb.QueryExecutionException;
import org.neo4j.graphdb.Relationship;
import org.neo4j.graphdb.Result;
import org.neo4j.graphdb.Transaction;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * SPEC §6.1 retrieval of the top {@code kMax} candidates of one engine.
 * <ul>
 *   <li>With an embedding: an exact cosine scan of the engine's {@link EngineSnapshot} (nodes and links; recall 1,
 *   and on engines of thousands of nodes faster than the index) when the engine has at most exactScanMaxNodes
 *   nodes, else the node vector index, over-fetched and filtered to the engine (nodes only). The index reports
 *   (1 + cos)/2; it is converted back to a cosine.</li>
 *   <li>Without: the full-text index, scores normalised by the best hit.</li>
 *   <li>{@code targetNodes}: those nodes, similarity 1, after checking they belong to the engine.</li>
 * </ul>
 * Queries are fixed strings with parameters; the full-text query is built from letter/digit tokens only, so no
 * Lucene syntax from a client reaches the parser.
 */
public final class CandidateRetriever {

    private static final String VECTOR_QUERY = """
            CALL db.index.vector.queryNodes($index, $k, $vector) YIELD node, score
            WHERE node.engine = $engine
            RETURN node, score""";
    private static final String FULLTEXT_QUERY = """
            CALL db.index.fulltext.queryNodes($index, $query, {limit: $limit}) YIELD node, score
            WHERE node.engine = $engine
            RETURN node, score""";
    private static final Pattern TOKEN = Pattern.compile("[\\p{L}\\p{N}]+");
    /** Lucene refuses queries of more than 1024 clauses; distinct tokens beyond this carry little signal anyway. */
    private static final int MAX_QUERY_TOKENS = 512;

    private static final Comparator<Match> WORST_FIRST =
            Comparator.comparingDouble(Match::similarity).thenComparing(Match::nodeId, Comparator.reverseOrder());

    private final MembraneConfig config;
    private final EngineSnapshots snapshots;
    private final boolean useCache;
    private final Consumer<Runnable> afterCommit;

    /**
     * @param useCache    false when the calling transaction had uncommitted changes before the call: its view may
     *                    differ from the committed snapshots, so it scans a private snapshot instead
     * @param afterCommit schedules work for after the calling transaction commits (publishing fresh snapshots)
     */
    public CandidateRetriever(MembraneConfig config, EngineSnapshots snapshots, boolean useCache, Consumer<Runnable> afterCommit) {
        this.config = config;
        this.snapshots = snapshots;
        this.useCache = useCache;
        this.afterCommit = afterCommit;
    }

    public Retrieved retrieve(Transaction tx, String engineId, Envelope stimulus) {
        if (stimulus.hasTargets()) {
            return Retrieved.nodesOnly(targets(tx, engineId, stimulus.targetNodes()));
        }
        if (!stimulus.hasEmbedding()) {
            return Retrieved.nodesOnly(fullText(tx, engineId, stimulus.content()));
        }
        String mode = config.stringValue(ConfigKey.RETRIEVAL);
        if (!mode.equals("index")) {
            int limit = mode.equals("exact") ? Integer.MAX_VALUE : config.intValue(ConfigKey.EXACT_SCAN_MAX_NODES);
            int dims = config.intValue(ConfigKey.EMBEDDING_DIMENSIONS);
            long maxBytes = config.longValue(ConfigKey.SNAPSHOT_CACHE_MAX_BYTES);
            EngineSnapshot snapshot = useCache
                    ? snapshots.get(tx, engineId, dims, limit, maxBytes, afterCommit)
                    : snapshots.uncached(tx, engineId, dims, limit);
            if (snapshot != null) {
                return exactScan(tx, snapshot, stimulus.embedding());
            }
        }
        return Retrieved.nodesOnly(vectorIndex(tx, engineId, stimulus.embedding()));
    }

    /** Top kMax of the engine's nodes and links together, by similarity (ties by id). */
    Retrieved exactScan(Transaction tx, EngineSnapshot s, float[] query) {
        int k = config.intValue(ConfigKey.K_MAX);
        double qn = VectorMath.norm(query);
        // Entries: index ≥ 0 for a node, −1 − index for a link.
        PriorityQueue<double[]> top = new PriorityQueue<>(k + 1, (x, y) -> x[0] != y[0] ? Double.compare(x[0], y[0])
                : idOf(s, (int) y[1]).compareTo(idOf(s, (int) x[1])));
        for (int i = 0; i < s.nodeCount(); i++) {
            keep(top, s.nodeSimilarity(i, query, qn), i, k, s);
        }
        for (int i = 0; i < s.linkCount(); i++) {
            keep(top, s.linkSimilarity(i, query, qn), -1 - i, k, s);
        }
        List<double[]> winners = new ArrayList<>(top);
        winners.sort((x, y) -> x[0] != y[0] ? Double.compare(y[0], x[0]) : idOf(s, (int) x[1]).compareTo(idOf(s, (int) y[1])));
        List<Match> nodes = new ArrayList<>();
        List<LinkMatch> links = new ArrayList<>();
        for (double[] w : winners) {
            int i = (int) w[1];
            if (i >= 0) {
                nodes.add(new Match(tx.getNodeByElementId(s.nodeElementIds()[i]), s.nodeIds()[i], w[0], false));
            } else {
                int l = -1 - i;
                Relationship r = tx.getRelationshipByElementId(s.linkElementIds()[l]);
                links.add(new LinkMatch(r, s.linkElementIds()[l], r.getStartNode(), s.linkFromIds()[l], r.getEndNode(),
                        s.linkToIds()[l], w[0]));
            }
        }
        return new Retrieved(nodes, links);
    }

    private static void keep(PriorityQueue<double[]> top, double similarity, int index, int k, EngineSnapshot s) {
        if (!(similarity > 0)) {
            return;
        }
        top.offer(new double[]{similarity, index});
        if (top.size() > k) {
            top.poll();
        }
    }

    private static String idOf(EngineSnapshot s, int index) {
        return index >= 0 ? s.nodeIds()[index] : s.linkElementIds()[-1 - index];
    }

    List<Match> vectorIndex(Transaction tx, String engineId, float[] query) {
        int k = config.intValue(ConfigKey.K_MAX);
        long fetch = Math.min(Integer.MAX_VALUE, (long) k * config.intValue(ConfigKey.INDEX_OVERFETCH));
        Map<String, Object> params = new HashMap<>();
        params.put("index", GraphModel.NODE_EMBEDDING_INDEX);
        params.put("k", fetch);
        params.put("vector", query);
        params.put("engine", engineId);
        PriorityQueue<Match> top = new PriorityQueue<>(k + 1, WORST_FIRST);
        try (Result r = tx.execute(VECTOR_QUERY, params)) {
            while (r.hasNext()) {
                Map<String, Object> row = r.next();
                double cos = VectorMath.cosineFromIndexScore(((Number) row.get("score")).doubleValue());
                offer(top, (Node) row.get("node"), VectorMath.similarity(cos), k);
            }
        } catch (QueryExecutionException e) {
            throw missingIndex(GraphModel.NODE_EMBEDDING_INDEX, e);
        }
        return sorted(top);
    }

    List<Match> fullText(Transaction tx, String engineId, String content) {
        String query = luceneQuery(content);
        if (query.isEmpty()) {
            return List.of();
        }
        int k = config.intValue(ConfigKey.K_MAX);
        Map<String, Object> params = new HashMap<>();
        params.put("index", GraphModel.NODE_TEXT_INDEX);
        params.put("query", query);
        params.put("limit", (long) k * config.intValue(ConfigKey.INDEX_OVERFETCH));
        params.put("engine", engineId);
        List<Node> nodes = new ArrayList<>();
        List<Double> scores = new ArrayList<>();
        double best = 0;
        try (Result r = tx.execute(FULLTEXT_QUERY, params)) {
            while (r.hasNext()) {
                Map<String, Object> row = r.next();
                double score = ((Number) row.get("score")).doubleValue();
                nodes.add((Node) row.get("node"));
                scores.add(score);
                best = Math.max(best, score);
            }
        } catch (QueryExecutionException e) {
            throw missingIndex(GraphModel.NODE_TEXT_INDEX, e);
        }
        PriorityQueue<Match> top = new PriorityQueue<>(k + 1, WORST_FIRST);
        for (int i = 0; i < nodes.size() && best > 0; i++) {
            offer(top, nodes.get(i), Math.min(1.0, scores.get(i) / best), k);
        }
        return sorted(top);
    }

    private static List<Match> targets(Transaction tx, String engineId, List<String> ids) {
        List<Match> out = new ArrayList<>(ids.size());
        for (String id : ids) {
            Node n = tx.findNode(GraphModel.NODE, GraphModel.ID, id);
            if (n == null) {
                throw EnvelopeException.invalid("targetNodes", "no (:Node {id: '" + id + "'}) exists");
            }
            if (!engineId.equals(n.getProperty(GraphModel.ENGINE_ID, null))) {
                throw EnvelopeException.invalid("targetNodes", "node '" + id + "' does not belong to engine '" + engineId + "'");
            }
            out.add(new Match(n, id, 1.0, true));
        }
        return out;
    }

    /** Lower-cased distinct letter/digit tokens joined by spaces (Lucene's default OR); operators cannot appear. */
    static String luceneQuery(String content) {
        Set<String> tokens = new LinkedHashSet<>();
        Matcher m = TOKEN.matcher(content);
        while (m.find() && tokens.size() < MAX_QUERY_TOKENS) {
            tokens.add(m.group().toLowerCase(Locale.ROOT));
        }
        return String.join(" ", tokens);
    }

    private static void offer(PriorityQueue<Match> top, Node n, double similarity, int k) {
        if (!(similarity > 0)) {
            return;
        }
        Object id = n.getProperty(GraphModel.ID, null);
        if (!(id instanceof String nodeId)) {
            return; // SPEC §2: substrate nodes carry a string id; others cannot be attributed and are skipped
        }
        top.offer(new Match(n, nodeId, similarity, false));
        if (top.size() > k) {
            top.poll();
        }
    }

    private static List<Match> sorted(PriorityQueue<Match> top) {
        List<Match> out = new ArrayList<>(top);
        out.sort(WORST_FIRST.reversed());
        return out;
    }

    private static IllegalStateException missingIndex(String index, QueryExecutionException e) {
        return new IllegalStateException("Retrieval needs the index '" + index + "': call membrane.setup() first ("
                + e.getMessage() + ")", e);
    }
}
