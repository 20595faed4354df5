package dev.membrane.graph.cache;

import dev.membrane.graph.model.GraphModel;
import dev.membrane.graph.model.PropertyValues;
import dev.membrane.physics.support.VectorMath;
import org.neo4j.graphdb.Direction;
import org.neo4j.graphdb.Node;
import org.neo4j.graphdb.Relationship;
import org.neo4j.graphdb.ResourceIterator;
import org.neo4j.graphdb.Transaction;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The per-database cache of {@link EngineSnapshot}s. Correctness rules, since the truth is the graph:
 * <ul>
 *   <li>A snapshot is built inside a transaction (it may see that transaction's own changes) and is offered to
 *   the cache only after that transaction commits, and only if no commit invalidated the engine since the build
 *   began (a generation counter). A rolled-back transaction's view never reaches the cache.</li>
 *   <li>{@link SnapshotInvalidator} bumps the generation of every engine whose nodes, links, embeddings,
 *   peripheral flags or ids a committed transaction changed.</li>
 *   <li>The cache holds at most {@code maxBytes}; the least recently used engines are evicted beyond it.</li>
 * </ul>
 * Concurrency: the map and generations are guarded by {@code this}; snapshots are immutable.
 */
public final class EngineSnapshots {
    private final Map<String, EngineSnapshot> cache = new LinkedHashMap<>(16, 0.75f, true);
    private final Map<String, Long> generations = new HashMap<>();
    private final AtomicLong allGeneration = new AtomicLong();
    private long bytes;
    private final RowPartitions partitions = new RowPartitions();
    private java.util.concurrent.ThreadPoolExecutor scoring;

    /**
     * The threads that score batches in the background ({@code scoringThreads}; pure work on immutable snapshots, never
     * a transaction), or null for none. Idle threads end after a minute, so an idle database holds none.
     */
    public synchronized java.util.concurrent.Executor scoring(int threads) {
        if (threads <= 0) {
            return null;
        }
        if (scoring == null) {
            java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
            scoring = new java.util.concurrent.ThreadPoolExecutor(threads, threads, 60, java.util.concurrent.TimeUnit.SECONDS,
                    new java.util.concurrent.LinkedBlockingQueue<>(), r -> {
                        Thread t = new Thread(r, "membrane-scoring-" + n.incrementAndGet());
                        t.setDaemon(true);
                        return t;
                    });
            scoring.allowCoreThreadTimeOut(true);
        }
        return scoring;
    }

    /** The partitioned index over these snapshots' rows. */
    public RowPartitions partitions() {
        return partitions;
    }

    /**
     * The cached snapshot of {@code engineId}, or a fresh one built in {@code tx}; {@code null} when the engine has
     * more than {@code maxNodes} nodes (the caller then uses the index).
     *
     * @param publishAfterCommit receives the action that offers a fresh snapshot to the cache once {@code tx} commits
     */
    public EngineSnapshot get(Transaction tx, String engineId, int dims, int maxNodes, long maxBytes,
                              Consumer<Runnable> publishAfterCommit) {
        long generation;
        synchronized (this) {
            EngineSnapshot cached = cache.get(engineId);
            if (cached != null && cached.dims() == dims) {
                return cached;
            }
            generation = generationOf(engineId);
        }
        EngineSnapshot fresh = build(tx, engineId, dims, maxNodes, generation);
        if (fresh != null) {
            publishAfterCommit.accept(() -> offer(fresh, maxBytes));
        }
        return fresh;
    }

    /**
     * A snapshot built in {@code tx} that never touches the cache: for a transaction whose uncommitted changes may
     * make its view differ from the committed one. {@code null} above {@code maxNodes}.
     */
    public EngineSnapshot uncached(Transaction tx, String engineId, int dims, int maxNodes) {
        return build(tx, engineId, dims, maxNodes, -1);
    }

    synchronized void offer(EngineSnapshot offered, long maxBytes) {
        EngineSnapshot filed = filedBeforeOffer.remove(offered);
        EngineSnapshot s = filed != null ? filed : offered;
        if (s.generation() != generationOf(s.engineId()) || s.bytes() > maxBytes) {
            return;
        }
        EngineSnapshot old = cache.put(s.engineId(), s);
        bytes += s.bytes() - (old == null ? 0 : old.bytes());
        var it = cache.entrySet().iterator();
        while (bytes > maxBytes && it.hasNext()) {
            EngineSnapshot evicted = it.next().getValue();
            it.remove();
            bytes -= evicted.bytes();
        }
    }

    /**
     * Filed copies of snapshots not yet offered (built in a transaction that has not committed): offered in their
     * place after the commit. Weak keys: a rolled-back transaction's snapshot, never offered, leaves nothing behind.
     */
    private final Map<EngineSnapshot, EngineSnapshot> filedBeforeOffer = new java.util.WeakHashMap<>();

    /**
     * Keeps {@code replacement} (the same rows, reordered) in place of {@code s}: now if {@code s} is the cached one,
     * else when {@code s} is offered after its transaction commits (measured: without this, the first calls after a
     * start filed every engine twice — 70 s at 1M nodes).
     */
    synchronized void replace(EngineSnapshot s, EngineSnapshot replacement) {
        if (replacement.generation() != s.generation()) {
            return;
        }
        if (cache.get(s.engineId()) == s) {
            cache.put(s.engineId(), replacement);
        } else {
            filedBeforeOffer.put(s, replacement);
        }
    }

    /** The cached snapshot of an engine, or null (for tests). */
    synchronized EngineSnapshot cached(String engineId) {
        return cache.get(engineId);
    }

    /** After a commit that changed these engines: drop their snapshots; builds in flight will not be cached. */
    public synchronized void invalidate(Collection<String> engineIds) {
        for (String e : engineIds) {
            generations.merge(e, 1L, Long::sum);
            EngineSnapshot old = cache.remove(e);
            if (old != null) {
                bytes -= old.bytes();
            }
        }
    }

    /** After a commit whose effect on engines could not be determined: drop everything. */
    public synchronized void invalidateAll() {
        allGeneration.incrementAndGet();
        cache.clear();
        bytes = 0;
    }



    private long generationOf(String engineId) {
        return allGeneration.get() * (1L << 32) + generations.getOrDefault(engineId, 0L);
    }

    private static EngineSnapshot build(Transaction tx, String engineId, int dims, int maxNodes, long generation) {
        List<String> ids = new ArrayList<>();
        List<String> elementIds = new ArrayList<>();
        List<float[]> vectors = new ArrayList<>();
        List<String> linkEids = new ArrayList<>();
        List<String> linkFrom = new ArrayList<>();
        List<String> linkTo = new ArrayList<>();
        List<float[]> linkVectors = new ArrayList<>();
        int seen = 0;
        try (ResourceIterator<Node> nodes = tx.findNodes(GraphModel.NODE, GraphModel.ENGINE_ID, engineId)) {
            while (nodes.hasNext()) {
                Node n = nodes.next();
                if (++seen > maxNodes) {
                    return null;
                }
                if (!(n.getProperty(GraphModel.ID, null) instanceof String id)) {
                    continue;
                }
                float[] v = PropertyValues.embedding(n, GraphModel.EMBEDDING, dims);
                if (v != null) {
                    v = VectorMath.unit(v);
                    ids.add(id);
                    elementIds.add(n.getElementId());
                    vectors.add(v);
                }
                for (Relationship r : n.getRelationships(Direction.OUTGOING)) {
                    float[] lv = PropertyValues.embedding(r, GraphModel.EMBEDDING, dims);
                    if (lv == null) {
                        continue;
                    }
                    lv = VectorMath.unit(lv);
                    Node end = r.getEndNode();
                    if (engineId.equals(end.getProperty(GraphModel.ENGINE_ID, null))
                            && end.getProperty(GraphModel.ID, null) instanceof String endId) {
                        linkEids.add(r.getElementId());
                        linkFrom.add(id);
                        linkTo.add(endId);
                        linkVectors.add(lv);
                    }
                }
            }
        }
        float[] flat = flatten(vectors, dims);
        float[] linkFlat = flatten(linkVectors, dims);
        return new EngineSnapshot(engineId, dims, ids.toArray(String[]::new), elementIds.toArray(String[]::new), flat,
                linkEids.toArray(String[]::new), linkFrom.toArray(String[]::new), linkTo.toArray(String[]::new), linkFlat,
                generation);
    }

    private static float[] flatten(List<float[]> rows, int dims) {
        float[] flat = new float[rows.size() * dims];
        for (int i = 0; i < rows.size(); i++) {
            System.arraycopy(rows.get(i), 0, flat, i * dims, dims);
        }
        return flat;
    }
}
