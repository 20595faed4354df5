package dev.membrane.graph.read;

import dev.membrane.config.ConfigKey;
import dev.membrane.config.MembraneConfig;
import dev.membrane.graph.cache.EngineSnapshot;
import dev.membrane.graph.cache.EngineSnapshots;
import dev.membrane.graph.cache.PartitionBlocks;
import dev.membrane.graph.cache.RowPartitions;
import dev.membrane.graph.read.retrieval.FullTextSearch;
import dev.membrane.graph.read.retrieval.Hit;
import dev.membrane.graph.read.retrieval.RetrievalMode;
import dev.membrane.graph.read.retrieval.SnapshotScan;
import dev.membrane.graph.read.retrieval.TargetNodes;
import dev.membrane.graph.read.retrieval.VectorIndexSearch;
import dev.membrane.physics.support.TopK;
import dev.membrane.physics.support.VectorMath;
import dev.membrane.protocol.Envelope;
import dev.membrane.protocol.EnvelopeException;
import org.neo4j.graphdb.Transaction;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * SPEC §6.1 retrieval of the top {@code kMax} candidates over a set of engines: one engine for
 * {@code membrane.inject}, every engine of the envelope's scope for {@code membrane.integrate} (SPEC §4). This class
 * only chooses the strategy ({@link RetrievalMode}):
 * <ul>
 *   <li>{@code targetNodes}: those nodes ({@link TargetNodes}).</li>
 *   <li>An embedding: engines of at most exactScanMaxNodes nodes are searched in their {@link EngineSnapshot}s
 *   (nodes and links): every row when the search covers fewer than partitionMinRows rows (recall 1), only the
 *   partitions nearest the query above ({@link RowPartitions}, sub-linear); larger engines through the node vector
 *   index ({@link VectorIndexSearch}).</li>
 *   <li>No embedding, or nothing found by it and the stimulus has content: the full-text index
 *   ({@link FullTextSearch}).</li>
 * </ul>
 * A transaction with uncommitted changes before the call scans private snapshots, and exactly: its view may differ
 * from the committed one, and filing its rows into partitions would cost more than the scan saves.
 */
public final class CandidateRetriever {
    private final MembraneConfig config;
    private final EngineSnapshots snapshots;
    /** Snapshots used by this retriever (one call): an engine is built at most once per call, whatever the batch size. */
    private final Map<String, EngineSnapshot> used = new HashMap<>();
    /** Hits scored ahead for a batch (see {@link #prefetch}), by envelope id. */
    private final Map<String, List<Hit>> prefetched = new HashMap<>();
    /** Envelopes whose chunk is scored (or being scored) ahead, by envelope id. */
    private final Map<String, Scored> pending = new HashMap<>();
    private final Set<String> tooLarge = new HashSet<>();
    private final boolean useCache;
    private final Consumer<Runnable> afterCommit;

    /** The engines of one search: those searched in snapshots (with their rows in all), those through the index. */
    private record Plan(RetrievalMode mode, List<EngineSnapshot> scanned, long rows, List<String> indexed) {
    }

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
            return Retrieved.nodesOnly(TargetNodes.resolve(tx, Set.copyOf(engineIds), stimulus.targetNodes(), targetSimilarity));
        }
        List<Hit> ahead = ahead(tx, stimulus.id());
        List<Hit> hits = ahead != null ? ahead : stimulus.hasEmbedding()
                ? search(tx, plan(tx, engineIds), List.of(stimulus.embedding())).get(0)
                : fullText(tx, engineIds, stimulus.content());
        if (hits.isEmpty() && stimulus.hasEmbedding() && !stimulus.content().isBlank()) {
            hits = fullText(tx, engineIds, stimulus.content()); // nodes without embeddings are still found by their text
        }
        hits.sort(Hit.BEST_FIRST);
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

    /**
     * Scores a batch of envelopes against the engines of one scope in blocked passes (SPEC §14): each snapshot row is
     * read once per chunk (or per partition) and compared with every query of the chunk that needs it while it is in
     * cache. The first {@code scoringFirstChunk} envelopes are scored now, on the caller's thread; the later chunks,
     * each twice the one before up to {@code scoringChunk}, on the scoring threads while the caller writes the earlier
     * envelopes (the scan is pure work on immutable snapshots; store lookups stay on the caller's thread). Small
     * first, growing after: the caller starts writing after a few envelopes' scoring instead of a full chunk's (9 % of
     * a batch-500 call at 100k nodes), and each later chunk is ready before the caller reaches it as long as scoring
     * an envelope is faster than writing one. The result per envelope is the same as {@link #retrieve}'s. Envelopes
     * with targets or without an embedding are skipped.
     */
    public void prefetch(Transaction tx, List<String> engineIds, List<Envelope> batch) {
        List<Envelope> queries = batch.stream().filter(e -> e.hasEmbedding() && !e.hasTargets()).toList();
        if (queries.size() < 2 || engineIds.isEmpty()) {
            return;
        }
        Scan scan = scan(plan(tx, engineIds));
        int chunk = config.intValue(ConfigKey.SCORING_CHUNK);
        java.util.concurrent.Executor background = snapshots.scoring(config.intValue(ConfigKey.SCORING_THREADS));
        List<List<Envelope>> parts = new ArrayList<>();
        for (int from = 0, size = Math.min(chunk, config.intValue(ConfigKey.SCORING_FIRST_CHUNK)); from < queries.size();
             from += size, size = Math.min(chunk, 2 * size)) {
            parts.add(queries.subList(from, Math.min(queries.size(), from + size)));
        }
        // the later chunks go to the scoring threads first, so they start while the caller scores the first
        for (int i = 1; background != null && i < parts.size(); i++) {
            file(parts.get(i), scan, background);
        }
        for (int i = 0; i < (background == null ? parts.size() : 1); i++) {
            file(parts.get(i), scan, null);
        }
    }

    /** Files a chunk's envelopes as pending: scored on {@code background}, or now when it is null. */
    private void file(List<Envelope> part, Scan scan, java.util.concurrent.Executor background) {
        List<float[]> embeddings = part.stream().map(Envelope::embedding).toList();
        java.util.concurrent.CompletableFuture<TopK[]> tops = background == null
                ? java.util.concurrent.CompletableFuture.completedFuture(scan.tops(embeddings))
                : java.util.concurrent.CompletableFuture.supplyAsync(() -> scan.tops(embeddings), background);
        Scored scored = new Scored(scan, embeddings, tops, part.stream().map(Envelope::id).toList());
        part.forEach(e -> pending.put(e.id(), scored));
    }

    /** A chunk of a batch being scored: its hits are made on the caller's thread when the first of them is needed. */
    private record Scored(Scan scan, List<float[]> embeddings, java.util.concurrent.CompletableFuture<TopK[]> tops,
                          List<String> ids) {
    }

    /** Hits scored ahead for this envelope, or null. */
    private List<Hit> ahead(Transaction tx, String id) {
        List<Hit> hits = prefetched.remove(id);
        if (hits != null) {
            return hits;
        }
        Scored scored = pending.remove(id);
        if (scored == null) {
            return null;
        }
        TopK[] tops;
        try {
            tops = scored.tops().join();
        } catch (java.util.concurrent.CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
        List<List<Hit>> all = scored.scan().hits(tx, scored.embeddings(), tops);
        for (int q = 0; q < scored.ids().size(); q++) {
            pending.remove(scored.ids().get(q));
            prefetched.put(scored.ids().get(q), all.get(q));
        }
        return prefetched.remove(id);
    }

    private Plan plan(Transaction tx, List<String> engineIds) {
        RetrievalMode mode = RetrievalMode.of(config.stringValue(ConfigKey.RETRIEVAL));
        List<EngineSnapshot> scanned = new ArrayList<>();
        List<String> indexed = new ArrayList<>();
        long rows = 0;
        int limit = mode == RetrievalMode.AUTO ? config.intValue(ConfigKey.EXACT_SCAN_MAX_NODES) : Integer.MAX_VALUE;
        int dims = config.intValue(ConfigKey.EMBEDDING_DIMENSIONS);
        long maxBytes = config.longValue(ConfigKey.SNAPSHOT_CACHE_MAX_BYTES);
        for (String engineId : engineIds) {
            EngineSnapshot s = mode == RetrievalMode.INDEX || tooLarge.contains(engineId) ? null : used.computeIfAbsent(engineId,
                    e -> useCache ? snapshots.get(tx, e, dims, limit, maxBytes, afterCommit) : snapshots.uncached(tx, e, dims, limit));
            if (s == null) {
                tooLarge.add(engineId);
                indexed.add(engineId);
            } else {
                scanned.add(s);
                rows += s.nodeCount() + s.linkCount();
            }
        }
        return new Plan(mode, scanned, rows, indexed);
    }

    /** Hits for each query: the snapshots' top kMax (exact or partitioned), plus the index's for large engines. */
    private List<List<Hit>> search(Transaction tx, Plan plan, List<float[]> queries) {
        Scan scan = scan(plan);
        return scan.hits(tx, queries, scan.tops(queries));
    }

    /**
     * How one search scans, settled on the caller's thread (snapshots built and filed, centroids trained): then
     * {@link #tops} is pure work that any thread may do, and {@link #hits} turns its result into store entities on the
     * transaction's thread.
     */
    private record Scan(List<EngineSnapshot> scanned, List<String> indexed, RowPartitions.Centroids centroids, int probes,
                        PartitionBlocks blocks, int candidates, int k, long fetch) {

        TopK[] tops(List<float[]> queries) {
            float[][] units = new float[queries.size()][];
            for (int q = 0; q < units.length; q++) {
                units[q] = VectorMath.unit(queries.get(q));
            }
            return centroids != null ? SnapshotScan.partitioned(blocks, scanned, units, k, candidates, centroids, probes)
                    : SnapshotScan.exact(scanned, units, k);
        }

        List<List<Hit>> hits(Transaction tx, List<float[]> queries, TopK[] tops) {
            List<List<Hit>> out = new ArrayList<>(tops.length);
            for (int q = 0; q < tops.length; q++) {
                List<Hit> hits = SnapshotScan.hits(tx, scanned, tops[q]);
                if (!indexed.isEmpty()) {
                    VectorIndexSearch.search(tx, indexed, queries.get(q), fetch, hits);
                }
                out.add(hits);
            }
            return out;
        }
    }

    private Scan scan(Plan plan) {
        int k = config.intValue(ConfigKey.K_MAX);
        long fetch = Math.min(Integer.MAX_VALUE, (long) k * config.intValue(ConfigKey.INDEX_OVERFETCH));
        if (!partitioned(plan)) {
            return new Scan(plan.scanned(), plan.indexed(), null, 0, null, 0, k, fetch);
        }
        RowPartitions partitions = snapshots.partitions();
        RowPartitions.Centroids c = partitions.centroids(plan.scanned(), plan.rows(),
                config.intValue(ConfigKey.EMBEDDING_DIMENSIONS), RowPartitions.Training.of(config));
        List<EngineSnapshot> filed = new ArrayList<>(plan.scanned().size());
        for (EngineSnapshot s : plan.scanned()) {
            EngineSnapshot f = partitions.file(s, c, snapshots);
            filed.add(f);
            used.put(s.engineId(), f); // the rest of this call sees the filed rows
        }
        PartitionBlocks blocks = partitions.blocks(filed, c, snapshots);
        int candidates = (int) Math.min(Integer.MAX_VALUE, (long) k * config.intValue(ConfigKey.PARTITION_RERANK));
        return new Scan(filed, plan.indexed(), c, config.intValue(ConfigKey.PARTITION_PROBES), blocks, candidates, k, fetch);
    }

    private boolean partitioned(Plan plan) {
        return useCache && plan.rows() > 0 && (plan.mode() == RetrievalMode.PARTITIONED
                || plan.mode() == RetrievalMode.AUTO && plan.rows() >= config.intValue(ConfigKey.PARTITION_MIN_ROWS));
    }

    private List<Hit> fullText(Transaction tx, List<String> engineIds, String content) {
        return FullTextSearch.search(tx, engineIds, content,
                (long) config.intValue(ConfigKey.K_MAX) * config.intValue(ConfigKey.INDEX_OVERFETCH));
    }
}
