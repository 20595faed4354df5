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
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * SPEC §6.1 retrieval of the top {@code kMax} candidates over a set of engines: one engine for
 * {@code membrane.inject}, every engine of the envelope's scope for {@code membrane.integrate} (SPEC §4).
 * <ul>
 *   <li>With an embedding: an exact cosine scan of each engine's {@link EngineSnapshot} (nodes and links; recall 1,
 *   and on engines of thousands of nodes faster than the index) for engines of at most exactScanMaxNodes nodes;
 *   the node vector index, over-fetched and filtered to the engines, for larger ones (nodes only). The index
 *   reports (1 + cos)/2; it is converted back to a cosine.</li>
 *   <li>Without (or when the embedding finds nothing and the stimulus has content, e.g. a graph whose nodes carry
 *   only text): the full-text index, scores normalised by the best hit.</li>
 *   <li>{@code targetNodes}: those nodes, similarity 1, after checking they belong to the engines.</li>
 * </ul>
 * Queries are fixed strings with parameters; the full-text query is built from letter/digit tokens only, so no
 * Lucene syntax from a client reaches the parser.
 */
public final class CandidateRetriever {

    private static final String VECTOR_QUERY = """
            CALL db.index.vector.queryNodes($index, $k, $vector) YIELD node, score
            WHERE node.engine IN $engines
            RETURN node, score""";
    private static final String FULLTEXT_QUERY = """
            CALL db.index.fulltext.queryNodes($index, $query, {limit: $limit}) YIELD node, score
            WHERE node.engine IN $engines
            RETURN node, score""";
    private static final Pattern TOKEN = Pattern.compile("[\\p{L}\\p{N}]+");
    /** Lucene refuses queries of more than 1024 clauses; distinct tokens beyond this carry little signal anyway. */
    private static final int MAX_QUERY_TOKENS = 512;

    /** A scored hit before it becomes a {@link Match} or {@link LinkMatch}. */
    private record Hit(String engineId, String id, double similarity, Node node, LinkMatch link) {
    }

    private static final Comparator<Hit> BEST_FIRST =
            Comparator.comparingDouble(Hit::similarity).reversed().thenComparing(Hit::id);

    private final MembraneConfig config;
    private final EngineSnapshots snapshots;
    /** Snapshots used by this retriever (one call): an engine is built at most once per call, whatever the batch size. */
    private final Map<String, EngineSnapshot> used = new HashMap<>();
    /** Hits scored ahead for a batch (see {@link #prefetch}), by envelope id. */
    private final Map<String, List<Hit>> prefetched = new HashMap<>();
    private final Set<String> tooLarge = new java.util.HashSet<>();
    private final boolean useCache;
    private final Consumer<Runnable> afterCommit;

    /**
     * @param useCache    false when the calling transaction had uncommitted changes before the call: its view may
     *                    differ from the committed snapshots, so it scans private snapshots instead
     * @param afterCommit schedules work for after the calling transaction commits (publishing fresh snapshots)
     */
    public CandidateRetriever(MembraneConfig config, EngineSnapshots snapshots, boolean useCache, Consumer<Runnable> afterCommit) {
        this.config = config;
        this.snapshots = snapshots;
        this.useCache = useCache;
        this.afterCommit = afterCommit;
    }

    public Retrieved retrieve(Transaction tx, String engineId, Envelope stimulus) {
        return retrieve(tx, List.of(engineId), stimulus, Map.of());
    }

    /**
     * @param engineIds        the engines in play, in a stable order
     * @param targetSimilarity similarity of each target node where it is not 1 (a mission's aligned nodes: their fit)
     * @throws EnvelopeException when a target node does not exist or belongs to no engine in play
     */
    public Retrieved retrieve(Transaction tx, List<String> engineIds, Envelope stimulus, Map<String, Double> targetSimilarity) {
        if (engineIds.isEmpty()) {
            return Retrieved.NONE;
        }
        if (stimulus.hasTargets()) {
            return Retrieved.nodesOnly(targets(tx, Set.copyOf(engineIds), stimulus.targetNodes(), targetSimilarity));
        }
        List<Hit> ahead = prefetched.remove(stimulus.id());
        List<Hit> hits = ahead != null ? ahead : stimulus.hasEmbedding()
                ? byEmbedding(tx, engineIds, stimulus.embedding())
                : fullText(tx, engineIds, stimulus.content());
        if (hits.isEmpty() && stimulus.hasEmbedding() && !stimulus.content().isBlank()) {
            hits = fullText(tx, engineIds, stimulus.content()); // nodes without embeddings are still found by their text
        }
        hits.sort(BEST_FIRST);
        List<Match> nodes = new ArrayList<>();
        List<LinkMatch> links = new ArrayList<>();
        for (Hit h : hits.subList(0, Math.min(config.intValue(ConfigKey.K_MAX), hits.size()))) {
            if (h.link() != null) {
                links.add(h.link());
            } else {
                nodes.add(new Match(h.engineId(), h.node(), h.id(), h.similarity(), false));
            }
        }
        return new Retrieved(nodes, links);
    }

    private List<Hit> byEmbedding(Transaction tx, List<String> engineIds, float[] query) {
        String mode = config.stringValue(ConfigKey.RETRIEVAL);
        List<Hit> hits = new ArrayList<>();
        List<String> indexed = new ArrayList<>();
        int limit = mode.equals("exact") ? Integer.MAX_VALUE : config.intValue(ConfigKey.EXACT_SCAN_MAX_NODES);
        int dims = config.intValue(ConfigKey.EMBEDDING_DIMENSIONS);
        long maxBytes = config.longValue(ConfigKey.SNAPSHOT_CACHE_MAX_BYTES);
        List<EngineSnapshot> exact = new ArrayList<>();
        for (String engineId : engineIds) {
            EngineSnapshot s = mode.equals("index") || tooLarge.contains(engineId) ? null : used.computeIfAbsent(engineId,
                    e -> useCache ? snapshots.get(tx, e, dims, limit, maxBytes, afterCommit) : snapshots.uncached(tx, e, dims, limit));
            if (s == null) {
                tooLarge.add(engineId);
                indexed.add(engineId);
            } else {
                exact.add(s);
            }
        }
        exactScan(tx, exact, query, hits);
        if (!indexed.isEmpty()) {
            vectorIndex(tx, indexed, query, hits);
        }
        return hits;
    }

    /**
     * Scores a batch of envelopes against the engines of one scope in one blocked pass (SPEC §14): each snapshot row
     * is read once and compared with every query while it is in cache, instead of streaming every snapshot once per
     * envelope. Only engines scanned exactly are prefetched; the result per envelope is the same as
     * {@link #retrieve}'s (same top kMax, same ties). Envelopes with targets or without an embedding are skipped.
     */
    public void prefetch(Transaction tx, List<String> engineIds, List<Envelope> batch) {
        List<Envelope> queries = batch.stream().filter(e -> e.hasEmbedding() && !e.hasTargets()).toList();
        if (queries.size() < 2 || engineIds.isEmpty()) {
            return;
        }
        String mode = config.stringValue(ConfigKey.RETRIEVAL);
        if (mode.equals("index")) {
            return;
        }
        int limit = mode.equals("exact") ? Integer.MAX_VALUE : config.intValue(ConfigKey.EXACT_SCAN_MAX_NODES);
        int dims = config.intValue(ConfigKey.EMBEDDING_DIMENSIONS);
        long maxBytes = config.longValue(ConfigKey.SNAPSHOT_CACHE_MAX_BYTES);
        List<EngineSnapshot> exact = new ArrayList<>();
        List<String> indexed = new ArrayList<>();
        for (String engineId : engineIds) {
            EngineSnapshot s = tooLarge.contains(engineId) ? null : used.computeIfAbsent(engineId,
                    e -> useCache ? snapshots.get(tx, e, dims, limit, maxBytes, afterCommit) : snapshots.uncached(tx, e, dims, limit));
            if (s == null) {
                tooLarge.add(engineId);
                indexed.add(engineId);
            } else {
                exact.add(s);
            }
        }
        int k = config.intValue(ConfigKey.K_MAX);
        float[][] units = new float[queries.size()][];
        List<java.util.PriorityQueue<double[]>> heaps = new ArrayList<>();
        List<List<Hit>> hits = new ArrayList<>();
        for (int q = 0; q < units.length; q++) {
            units[q] = VectorMath.unit(queries.get(q).embedding());
            heaps.add(heap(exact, k));
            hits.add(new ArrayList<>());
        }
        for (int si = 0; si < exact.size(); si++) {
            EngineSnapshot s = exact.get(si);
            for (int i = 0; i < s.nodeCount(); i++) {
                for (int q = 0; q < units.length; q++) {
                    keep(heaps.get(q), s.nodeSimilarity(i, units[q]), i, si, k);
                }
            }
            for (int i = 0; i < s.linkCount(); i++) {
                for (int q = 0; q < units.length; q++) {
                    keep(heaps.get(q), s.linkSimilarity(i, units[q]), -1 - i, si, k);
                }
            }
        }
        for (int q = 0; q < units.length; q++) {
            toHits(tx, exact, heaps.get(q), hits.get(q));
        }
        for (int q = 0; q < units.length; q++) {
            if (!indexed.isEmpty()) {
                vectorIndex(tx, indexed, queries.get(q).embedding(), hits.get(q));
            }
            prefetched.put(queries.get(q).id(), hits.get(q));
        }
    }

    /*
     * Exact scans keep ONE top-kMax heap per query across all the scope's snapshots, and only its survivors become
     * hits (node lookups by element id): the global top k of a union is the top k of the per-engine top k's, so the
     * result is unchanged, but a scope of 200 engines no longer materialises and sorts 200 · kMax hits per envelope
     * (measured at 100k nodes: element-id parsing, hit sorting and per-engine heaps took about half of each call).
     * Heap entries: {similarity, index, snapshot}; index ≥ 0 is a node, −1 − index a link.
     */

    /** A top-k heap whose head is the weakest kept (ties: the larger id is weaker, as in {@link #BEST_FIRST}). */
    private static java.util.PriorityQueue<double[]> heap(List<EngineSnapshot> snaps, int k) {
        return new java.util.PriorityQueue<>(k + 1, (x, y) -> x[0] != y[0]
                ? Double.compare(x[0], y[0]) : idOf(snaps, y).compareTo(idOf(snaps, x)));
    }

    /** Adds the top kMax nodes and links of {@code snaps} (ties by id) to {@code hits}. */
    private void exactScan(Transaction tx, List<EngineSnapshot> snaps, float[] query, List<Hit> hits) {
        int k = config.intValue(ConfigKey.K_MAX);
        float[] unit = VectorMath.unit(query);
        java.util.PriorityQueue<double[]> top = heap(snaps, k);
        for (int si = 0; si < snaps.size(); si++) {
            EngineSnapshot s = snaps.get(si);
            for (int i = 0; i < s.nodeCount(); i++) {
                keep(top, s.nodeSimilarity(i, unit), i, si, k);
            }
            for (int i = 0; i < s.linkCount(); i++) {
                keep(top, s.linkSimilarity(i, unit), -1 - i, si, k);
            }
        }
        toHits(tx, snaps, top, hits);
    }

    private static void toHits(Transaction tx, List<EngineSnapshot> snaps, java.util.PriorityQueue<double[]> top, List<Hit> hits) {
        for (double[] w : top) {
            EngineSnapshot s = snaps.get((int) w[2]);
            int i = (int) w[1];
            if (i >= 0) {
                hits.add(new Hit(s.engineId(), s.nodeIds()[i], w[0], tx.getNodeByElementId(s.nodeElementIds()[i]), null));
            } else {
                int l = -1 - i;
                Relationship r = tx.getRelationshipByElementId(s.linkElementIds()[l]);
                LinkMatch link = new LinkMatch(s.engineId(), r, s.linkElementIds()[l], r.getStartNode(), s.linkFromIds()[l],
                        r.getEndNode(), s.linkToIds()[l], w[0]);
                hits.add(new Hit(s.engineId(), link.linkId(), w[0], null, link));
            }
        }
    }

    private static void keep(java.util.PriorityQueue<double[]> top, double similarity, int index, int snapshot, int k) {
        if (!(similarity > 0) || top.size() == k && similarity < top.peek()[0]) {
            return; // cannot enter the top k: no allocation, no heap work
        }
        top.offer(new double[]{similarity, index, snapshot});
        if (top.size() > k) {
            top.poll();
        }
    }

    private static String idOf(List<EngineSnapshot> snaps, double[] entry) {
        EngineSnapshot s = snaps.get((int) entry[2]);
        int index = (int) entry[1];
        return index >= 0 ? s.nodeIds()[index] : s.linkElementIds()[-1 - index];
    }

    private void vectorIndex(Transaction tx, List<String> engineIds, float[] query, List<Hit> hits) {
        long fetch = Math.min(Integer.MAX_VALUE, (long) config.intValue(ConfigKey.K_MAX) * config.intValue(ConfigKey.INDEX_OVERFETCH));
        Map<String, Object> params = new HashMap<>();
        params.put("index", GraphModel.NODE_EMBEDDING_INDEX);
        params.put("k", fetch);
        params.put("vector", query);
        params.put("engines", engineIds);
        try (Result r = tx.execute(VECTOR_QUERY, params)) {
            while (r.hasNext()) {
                Map<String, Object> row = r.next();
                double s = VectorMath.similarity(VectorMath.cosineFromIndexScore(((Number) row.get("score")).doubleValue()));
                add(hits, (Node) row.get("node"), s);
            }
        } catch (QueryExecutionException e) {
            throw missingIndex(GraphModel.NODE_EMBEDDING_INDEX, e);
        }
    }

    private List<Hit> fullText(Transaction tx, List<String> engineIds, String content) {
        List<Hit> hits = new ArrayList<>();
        String query = luceneQuery(content);
        if (query.isEmpty()) {
            return hits;
        }
        Map<String, Object> params = new HashMap<>();
        params.put("index", GraphModel.NODE_TEXT_INDEX);
        params.put("query", query);
        params.put("limit", (long) config.intValue(ConfigKey.K_MAX) * config.intValue(ConfigKey.INDEX_OVERFETCH));
        params.put("engines", engineIds);
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
        for (int i = 0; i < nodes.size() && best > 0; i++) {
            add(hits, nodes.get(i), Math.min(1.0, scores.get(i) / best));
        }
        return hits;
    }

    private static void add(List<Hit> hits, Node n, double similarity) {
        if (similarity > 0 && n.getProperty(GraphModel.ID, null) instanceof String id
                && n.getProperty(GraphModel.ENGINE_ID, null) instanceof String engine) {
            hits.add(new Hit(engine, id, similarity, n, null));
        }
    }

    private static List<Match> targets(Transaction tx, Set<String> engineIds, List<String> ids, Map<String, Double> similarity) {
        List<Match> out = new ArrayList<>(ids.size());
        for (String id : ids) {
            Node n = tx.findNode(GraphModel.NODE, GraphModel.ID, id);
            if (n == null) {
                throw EnvelopeException.invalid("targetNodes", "no (:Node {id: '" + id + "'}) exists");
            }
            Object engine = n.getProperty(GraphModel.ENGINE_ID, null);
            if (!(engine instanceof String e) || !engineIds.contains(e)) {
                throw EnvelopeException.invalid("targetNodes", "node '" + id + "' does not belong to "
                        + (engineIds.size() == 1 ? "engine '" + engineIds.iterator().next() + "'" : "an engine of this scope"));
            }
            out.add(new Match(e, n, id, similarity.getOrDefault(id, 1.0), true));
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

    private static IllegalStateException missingIndex(String index, QueryExecutionException e) {
        return new IllegalStateException("Retrieval needs the index '" + index + "': call membrane.setup() first ("
                + e.getMessage() + ")", e);
    }
}
