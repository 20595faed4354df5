package dev.membrane.bridge.relay;

import org.neo4j.driver.Driver;
import org.neo4j.driver.Record;
import org.neo4j.driver.Session;
import org.neo4j.driver.exceptions.ClientException;
import org.neo4j.driver.exceptions.Neo4jException;
import org.neo4j.driver.exceptions.ServiceUnavailableException;
import org.neo4j.driver.exceptions.SessionExpiredException;
import org.neo4j.driver.exceptions.TransientException;
import dev.membrane.bridge.embedding.TextEmbedder;
import dev.membrane.bridge.spool.DeadLetters;
import dev.membrane.bridge.spool.Spool;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * SPEC §11 relay: a bounded queue of envelopes, drained in batches of up to {@code batchSize} (or whatever arrived
 * within {@code lingerMs}) into one Bolt transaction {@code CALL membrane.integrate($batch)}; each envelope's ack is
 * sent only after that transaction committed. A batch the database refuses as a whole (an unexpected error, never a
 * bad envelope: the plugin answers those row by row) is split and retried one envelope at a time, so one poison
 * envelope cannot sink the others; it alone is answered {@code error}.
 * <p>Durability: transient errors are retried with jittered exponential backoff; when Neo4j is unreachable the
 * batch goes to the fsync'd {@link Spool} and each envelope is acked {@code spooled}; while anything is spooled,
 * new batches are spooled behind it (order is kept) and the spool is replayed oldest first whenever Neo4j answers,
 * each envelope then getting its final ack. An envelope that fails alone after retries goes to the dead-letter
 * file and is acked {@code error}. Nothing accepted is dropped.
 * <p>Concurrency: producers (WebSocket threads) only offer to the queue; one daemon thread, {@code membrane-relay},
 * owns the driver sessions, the spool and the dead-letter file, and calls the ack callbacks.
 */
public final class Relay implements AutoCloseable {
    private static final String INTEGRATE = "CALL membrane.integrate($batch)";

    /** One queued envelope and where its ack goes. */
    private record Pending(Map<String, Object> envelope, Consumer<Map<String, Object>> ack) {
    }

    /** Transient failures of one transaction retried at most this often before the batch is split. */
    static final int MAX_RETRIES = 3;
    /** First retry delay; doubled per retry, with up to 100 % jitter. */
    static final long BACKOFF_MS = 50;
    /** While Neo4j is unreachable, the spool is retried this often. */
    static final long REPLAY_INTERVAL_MS = 500;

    private final Driver driver;
    private final TextEmbedder embedder;
    private final Spool spool;
    private final DeadLetters deadLetters;
    private final Map<java.nio.file.Path, List<Consumer<Map<String, Object>>>> waiting = new java.util.HashMap<>();
    private final java.util.Random jitter = new java.util.Random();
    private long nextReplay;
    private final AtomicLong spooled = new AtomicLong();
    private final AtomicLong replayed = new AtomicLong();
    private final AtomicLong deadLettered = new AtomicLong();
    private final AtomicLong spoolDepth = new AtomicLong();
    /** Upper bounds (ms) of the batch-latency histogram buckets, for /metrics. */
    public static final long[] LATENCY_BUCKETS_MS = {5, 10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000};
    private final java.util.concurrent.atomic.AtomicLongArray latency = new java.util.concurrent.atomic.AtomicLongArray(LATENCY_BUCKETS_MS.length + 1);
    private final java.util.concurrent.atomic.DoubleAdder latencySumMs = new java.util.concurrent.atomic.DoubleAdder();
    private final int batchSize;
    private final long lingerMs;
    private final BlockingQueue<Pending> queue;
    private final Thread worker;
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final AtomicLong duplicates = new AtomicLong();
    private final AtomicLong batches = new AtomicLong();
    private volatile boolean running = true;

    public Relay(Driver driver, int batchSize, long lingerMs, int capacity, Spool spool, DeadLetters deadLetters) {
        this(driver, batchSize, lingerMs, capacity, spool, deadLetters, null);
    }

    /**
     * @param embedder embeds envelopes that carry text but no embedding, per batch; null leaves them to the plugin's
     *                 full-text retrieval
     */
    public Relay(Driver driver, int batchSize, long lingerMs, int capacity, Spool spool, DeadLetters deadLetters,
                 TextEmbedder embedder) {
        this.driver = driver;
        this.embedder = embedder;
        this.spool = spool;
        this.deadLetters = deadLetters;
        this.spoolDepth.set(spool.size());
        this.batchSize = batchSize;
        this.lingerMs = lingerMs;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.worker = new Thread(this::run, "membrane-relay");
        this.worker.setDaemon(true);
        this.worker.start();
    }

    /** Queues an envelope; false (and nothing queued) when the queue is full. */
    public boolean submit(Map<String, Object> envelope, Consumer<Map<String, Object>> ack) {
        return queue.offer(new Pending(envelope, ack));
    }

    public int queueDepth() {
        return queue.size();
    }

    private void observe(double ms) {
        int b = 0;
        while (b < LATENCY_BUCKETS_MS.length && ms > LATENCY_BUCKETS_MS[b]) {
            b++;
        }
        latency.incrementAndGet(b);
        latencySumMs.add(ms);
    }

    /** Batch latency: count per bucket (not cumulative; the last is +Inf) and the sum in ms. */
    public long[] latencyCounts() {
        long[] out = new long[latency.length()];
        for (int i = 0; i < out.length; i++) {
            out[i] = latency.get(i);
        }
        return out;
    }

    public double latencySumMs() {
        return latencySumMs.sum();
    }

    public Map<String, Object> metrics() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("accepted", accepted.get());
        m.put("rejected", rejected.get());
        m.put("duplicates", duplicates.get());
        m.put("batches", batches.get());
        m.put("queueDepth", queue.size());
        m.put("spooled", spooled.get());
        m.put("replayed", replayed.get());
        m.put("deadLettered", deadLettered.get());
        m.put("spoolSize", spoolDepth.get());
        return m;
    }

    private void run() {
        List<Pending> batch = new ArrayList<>(batchSize);
        while (running) {
            try {
                replayIfDue();
                Pending first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(lingerMs);
                while (batch.size() < batchSize) {
                    long wait = deadline - System.nanoTime();
                    Pending next = wait > 0 ? queue.poll(wait, TimeUnit.NANOSECONDS) : queue.poll();
                    if (next == null) {
                        break;
                    }
                    batch.add(next);
                }
                embedTexts(batch);
                relay(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } finally {
                batch.clear();
            }
        }
    }

    /**
     * Gives text-only envelopes an embedding from the sentence model, the whole batch in one model call. A failure
     * leaves them as they are: the plugin then retrieves by full text.
     */
    private void embedTexts(List<Pending> batch) {
        if (embedder == null) {
            return;
        }
        List<Map<String, Object>> todo = new ArrayList<>();
        for (Pending p : batch) {
            Object content = p.envelope().get("content");
            if (!p.envelope().containsKey("embedding") && content instanceof String text && !text.isBlank()) {
                todo.add(p.envelope());
            }
        }
        if (todo.isEmpty()) {
            return;
        }
        try {
            List<float[]> vectors = embedder.embedAll(todo.stream().map(e -> (String) e.get("content")).toList());
            for (int i = 0; i < todo.size(); i++) {
                List<Double> v = new ArrayList<>(vectors.get(i).length);
                for (float x : vectors.get(i)) {
                    v.add((double) x);
                }
                todo.get(i).put("embedding", v);
            }
        } catch (RuntimeException modelFailed) {
            // full-text retrieval in the plugin serves these envelopes
        }
    }

    private void relay(List<Pending> batch) {
        if (spoolDepth.get() > 0) {
            spool(batch); // keep arrival order behind what is already spooled
            replayIfDue();
            return;
        }
        try {
            acknowledge(batch, integrate(batch));
        } catch (ServiceUnavailableException | SessionExpiredException down) {
            spool(batch);
        } catch (Neo4jException whole) {
            for (Pending p : batch) { // isolate: one envelope per transaction; only the culprit is dead-lettered
                try {
                    acknowledge(List.of(p), integrate(List.of(p)));
                } catch (ServiceUnavailableException | SessionExpiredException down) {
                    spool(List.of(p));
                } catch (Neo4jException alone) {
                    deadLetter(p, alone);
                }
            }
        }
    }

    private void spool(List<Pending> batch) {
        try {
            java.nio.file.Path file = spool.write(batch.stream().map(Pending::envelope).toList());
            waiting.put(file, batch.stream().map(Pending::ack).toList());
            spooled.addAndGet(batch.size());
            spoolDepth.addAndGet(batch.size());
            for (Pending p : batch) {
                Map<String, Object> ack = new LinkedHashMap<>();
                ack.put("type", "ack");
                ack.put("id", p.envelope().get("id"));
                ack.put("status", "spooled");
                ack.put("reason", "database unreachable: durably spooled, the final ack follows on replay");
                p.ack().accept(ack);
            }
        } catch (java.io.IOException e) {
            // Neither the database nor the disk took it: say so; the client still holds the envelope.
            batch.forEach(p -> p.ack().accept(Map.of("type", "ack", "id", String.valueOf(p.envelope().get("id")),
                    "status", "error", "reason", "spool_failed: " + e.getMessage())));
        }
    }

    /** Replays the spool oldest first while Neo4j answers; stops at the first batch it cannot deliver. */
    private void replayIfDue() {
        if (spoolDepth.get() == 0 || System.currentTimeMillis() < nextReplay) {
            return;
        }
        try {
            for (java.nio.file.Path file : spool.files()) {
                List<Map<String, Object>> envelopes = spool.read(file);
                List<Consumer<Map<String, Object>>> acks = waiting.remove(file);
                List<Pending> batch = new ArrayList<>();
                for (int i = 0; i < envelopes.size(); i++) {
                    batch.add(new Pending(envelopes.get(i), acks != null ? acks.get(i) : ack -> { }));
                }
                try {
                    acknowledge(batch, integrate(batch));
                } catch (ServiceUnavailableException | SessionExpiredException down) {
                    if (acks != null) {
                        waiting.put(file, acks);
                    }
                    nextReplay = System.currentTimeMillis() + REPLAY_INTERVAL_MS;
                    return;
                } catch (Neo4jException whole) {
                    for (Pending p : batch) {
                        try {
                            acknowledge(List.of(p), integrate(List.of(p)));
                        } catch (Neo4jException alone) {
                            deadLetter(p, alone);
                        }
                    }
                }
                spool.delete(file);
                replayed.addAndGet(batch.size());
                spoolDepth.addAndGet(-batch.size());
            }
        } catch (java.io.IOException e) {
            nextReplay = System.currentTimeMillis() + REPLAY_INTERVAL_MS;
        }
    }

    private void deadLetter(Pending p, Neo4jException e) {
        try {
            deadLetters.add(p.envelope(), e.getMessage(), System.currentTimeMillis());
            deadLettered.incrementAndGet();
        } catch (java.io.IOException io) {
            // reported in the ack below
        }
        Map<String, Object> ack = error(p.envelope(), e);
        ack.put("reason", "dead_lettered: " + ack.get("reason"));
        p.ack().accept(ack);
    }

    /** One transaction; transient failures retried with jittered exponential backoff. */
    private List<Record> integrate(List<Pending> batch) {
        List<Map<String, Object>> envelopes = batch.stream().map(Pending::envelope).toList();
        for (int attempt = 0; ; attempt++) {
            long t0 = System.nanoTime();
            try (Session s = driver.session()) {
                List<Record> rows = s.executeWrite(tx -> tx.run(INTEGRATE, Map.of("batch", envelopes)).list());
                batches.incrementAndGet();
                observe((System.nanoTime() - t0) / 1e6);
                return rows;
            } catch (TransientException e) {
                if (attempt >= MAX_RETRIES) {
                    throw e;
                }
                long backoff = BACKOFF_MS << attempt;
                try {
                    Thread.sleep(backoff + (long) (jitter.nextDouble() * backoff));
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    /** Rows come back one per envelope, in input order (SPEC §10); the commit has happened. */
    private void acknowledge(List<Pending> batch, List<Record> rows) {
        for (int i = 0; i < batch.size(); i++) {
            Record r = rows.get(i);
            String status = r.get("status").asString();
            (switch (status) {
                case "accepted" -> accepted;
                case "duplicate" -> duplicates;
                default -> rejected;
            }).incrementAndGet();
            Map<String, Object> ack = new LinkedHashMap<>();
            ack.put("type", "ack");
            ack.put("id", r.get("id").isNull() ? batch.get(i).envelope().get("id") : r.get("id").asString());
            ack.put("status", status);
            ack.put("reason", r.get("reason").isNull() ? null : r.get("reason").asString());
            ack.put("engines", r.get("engines").asList(v -> v.get("engine").asString()));
            ack.put("flips", r.get("flips").asLong());
            ack.put("transfers", r.get("transfers").size());
            batch.get(i).ack().accept(ack);
        }
    }

    private static Map<String, Object> error(Map<String, Object> envelope, Neo4jException e) {
        Map<String, Object> ack = new LinkedHashMap<>();
        ack.put("type", "ack");
        ack.put("id", envelope.get("id"));
        ack.put("status", "error");
        ack.put("reason", (e instanceof ClientException ? "client_error: " : "database_error: ") + e.getMessage());
        return ack;
    }

    /** Stops the relay thread (waiting up to 5 s for the batch in flight); what is queued stays unacked. */
    @Override
    public void close() {
        running = false;
        try {
            worker.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
