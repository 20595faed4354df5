package dev.membrane.bridge.relay;

import dev.membrane.bridge.neo4j.Database;
import org.neo4j.driver.Record;
import org.neo4j.driver.Session;
import org.neo4j.driver.exceptions.ClientException;
import org.neo4j.driver.exceptions.Neo4jException;
import org.neo4j.driver.exceptions.ServiceUnavailableException;
import org.neo4j.driver.exceptions.SessionExpiredException;
import org.neo4j.driver.exceptions.SecurityException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import dev.membrane.bridge.embedding.TextEmbedder;
import dev.membrane.bridge.spool.DeadLetters;
import dev.membrane.bridge.spool.Spool;
import dev.membrane.protocol.Ack;
import dev.membrane.protocol.Status;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * SPEC §11 relay: a bounded queue of envelopes, one FIFO per connection drained round-robin ({@link FairQueue}, so a
 * huge frame from one client delays another's envelope by at most one batch), in batches of up to {@code batchSize} (or whatever arrived
 * within {@code lingerMs}) into one Bolt transaction {@code CALL membrane.integrate($batch)}; each envelope's ack is
 * sent only after that transaction committed. A batch the database refuses as a whole (an unexpected error, never a
 * bad envelope: the plugin answers those row by row) is split and retried one envelope at a time, so one poison
 * envelope cannot sink the others; it alone is answered {@code error}.
 * <p>Durability: transient errors are retried by the driver's managed transactions; when Neo4j is unreachable (or
 * refuses the bridge's credentials) the
 * batch goes to the fsync'd {@link Spool} and each envelope is acked {@code spooled}; while anything is spooled,
 * new batches are spooled behind it (order is kept) and the spool is replayed oldest first whenever Neo4j answers,
 * each envelope then getting its final ack. An envelope that fails alone after retries goes to the dead-letter
 * file and is acked {@code rejected} ({@code dead_lettered: …}). Nothing accepted is dropped. An unexpected exception
 * never ends the worker: it is logged and counted, and the batch's unanswered envelopes are answered {@code retry}.
 * <p>Concurrency: producers (WebSocket threads) only offer to the queue; one daemon thread, {@code membrane-relay},
 * owns the driver sessions, the spool and the dead-letter file, and calls the ack callbacks.
 */
public final class Relay implements AutoCloseable {
    private static final String INTEGRATE = "CALL membrane.integrate($batch)";

    private static final Logger LOG = LoggerFactory.getLogger(Relay.class);

    /** One queued envelope and where its ack goes; answered at most once (only the worker thread touches it). */
    private static final class Pending {
        private final Map<String, Object> envelope;
        private final Consumer<Ack> ack;
        private boolean answered;

        Pending(Map<String, Object> envelope, Consumer<Ack> ack) {
            this.envelope = envelope;
            this.ack = ack;
        }

        Map<String, Object> envelope() {
            return envelope;
        }

        Consumer<Ack> ack() {
            return ack;
        }

        void answer(Ack a) {
            answered = true;
            ack.accept(a);
        }
    }

    /** Neo4j's status code of a uniqueness violation (two transactions creating the same :Stimulus id). */
    static final String CONSTRAINT_VIOLATION = "Neo.ClientError.Schema.ConstraintValidationFailed";
    /** How often an envelope that lost a race on its id is integrated again (it then reads as a duplicate). */
    static final int CONSTRAINT_RACE_RETRIES = 3;
    /** The worker wakes this often when idle, to replay the spool when due. */
    static final long IDLE_POLL_MS = 100;
    /** While Neo4j is unreachable, the spool is retried this often. */
    static final long REPLAY_INTERVAL_MS = 500;

    private final Database database;
    private final TextEmbedder embedder;
    private final Spool spool;
    private final DeadLetters deadLetters;
    private final Map<java.nio.file.Path, List<Consumer<Ack>>> waiting = new java.util.HashMap<>();
    private long nextReplay;
    private final AtomicLong spooled = new AtomicLong();
    private final AtomicLong replayed = new AtomicLong();
    private final AtomicLong deadLettered = new AtomicLong();
    private final AtomicLong spoolDepth = new AtomicLong();
    private final AtomicLong relayErrors = new AtomicLong();
    private volatile String databaseProblem;
    private volatile long lastCommitMillis = -1;
    /** Upper bounds (ms) of the batch-latency histogram buckets, for /metrics. */
    public static final long[] LATENCY_BUCKETS_MS = {5, 10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000};
    private final java.util.concurrent.atomic.AtomicLongArray latency = new java.util.concurrent.atomic.AtomicLongArray(LATENCY_BUCKETS_MS.length + 1);
    private final java.util.concurrent.atomic.DoubleAdder latencySumMs = new java.util.concurrent.atomic.DoubleAdder();
    private final int batchSize;
    private final long lingerMs;
    private final FairQueue<Pending> queue;
    private final Thread worker;
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final AtomicLong duplicates = new AtomicLong();
    private final AtomicLong batches = new AtomicLong();
    private volatile boolean running = true;

    public Relay(Database database, int batchSize, long lingerMs, int capacity, Spool spool, DeadLetters deadLetters) {
        this(database, batchSize, lingerMs, capacity, spool, deadLetters, null);
    }

    /**
     * @param embedder embeds envelopes that carry text but no embedding, per batch; null leaves them to the plugin's
     *                 full-text retrieval
     */
    public Relay(Database database, int batchSize, long lingerMs, int capacity, Spool spool, DeadLetters deadLetters,
                 TextEmbedder embedder) {
        this.database = database;
        this.embedder = embedder;
        this.spool = spool;
        this.deadLetters = deadLetters;
        this.spoolDepth.set(spool.size());
        this.batchSize = batchSize;
        this.lingerMs = lingerMs;
        this.queue = new FairQueue<>(capacity);
        this.worker = new Thread(this::run, "membrane-relay");
        this.worker.setDaemon(true);
        this.worker.start();
    }

    /** Queues an envelope from an anonymous producer; false (and nothing queued) when the queue is full. */
    public boolean submit(Map<String, Object> envelope, Consumer<Ack> ack) {
        return submit(this, envelope, ack);
    }

    /**
     * Queues an envelope behind {@code producer}'s earlier ones (a bus connection); batches take one envelope per
     * producer in turn. False, and nothing queued, when the relay holds {@code capacity} envelopes already.
     */
    public boolean submit(Object producer, Map<String, Object> envelope, Consumer<Ack> ack) {
        return queue.offer(producer, new Pending(envelope, ack));
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
        m.put("queueDepthPerConnection", queue.depths());
        m.put("spooled", spooled.get());
        m.put("replayed", replayed.get());
        m.put("deadLettered", deadLettered.get());
        m.put("spoolSize", spoolDepth.get());
        m.put("relayErrors", relayErrors.get());
        long last = lastCommitMillis;
        m.put("lastCommitAgoMs", last < 0 ? null : System.currentTimeMillis() - last);
        return m;
    }

    /** Why the last transaction could not reach Neo4j (unreachable, credentials refused), or null once one committed. */
    public String databaseProblem() {
        return databaseProblem;
    }

    private void run() {
        List<Pending> batch = new ArrayList<>(batchSize);
        while (running) {
            try {
                replayIfDue();
                batch.addAll(queue.nextBatch(batchSize, IDLE_POLL_MS, lingerMs));
                if (batch.isEmpty()) {
                    continue;
                }
                embedTexts(batch);
                relay(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException unexpected) {
                // Never die silently: log, count, and answer what got no ack yet with retry (the client re-sends).
                relayErrors.incrementAndGet();
                LOG.error("relay: unexpected failure of a batch of {}; its unanswered envelopes are answered retry", batch.size(),
                        unexpected);
                for (Pending p : batch) {
                    if (!p.answered) {
                        p.answer(Ack.retry(idOf(p.envelope()), "relay_error: " + unexpected));
                    }
                }
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
        } catch (ServiceUnavailableException | SessionExpiredException | SecurityException down) {
            unreachable(down);
            spool(batch);
        } catch (Neo4jException whole) {
            LOG.warn("relay: a batch of {} failed as a whole ({}); integrating its envelopes one by one", batch.size(), whole.getMessage());
            for (Pending p : batch) { // isolate: one envelope per transaction; only the culprit is dead-lettered
                try {
                    integrateAlone(p);
                } catch (ServiceUnavailableException | SessionExpiredException | SecurityException down) {
                    unreachable(down);
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
            LOG.warn("spooled {} envelope(s) to {} (Neo4j: {}); {} waiting in the spool", batch.size(), file.getFileName(),
                    databaseProblem, spoolDepth.get());
            for (Pending p : batch) {
                p.answer(Ack.spooled(idOf(p.envelope()), "database unreachable: durably spooled, the final ack follows on replay"));
            }
        } catch (java.io.IOException e) {
            // Neither the database nor the disk took it: say so; the client still holds the envelope and re-sends it.
            LOG.error("cannot spool {} envelope(s) to {}: {}; answered retry", batch.size(), spool.directory(), e.toString());
            batch.forEach(p -> p.answer(Ack.retry(idOf(p.envelope()), "spool_failed: " + e.getMessage())));
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
                List<Consumer<Ack>> acks = waiting.remove(file);
                List<Pending> batch = new ArrayList<>();
                for (int i = 0; i < envelopes.size(); i++) {
                    batch.add(new Pending(envelopes.get(i), acks != null ? acks.get(i) : ack -> { }));
                }
                List<Record> rows = null;
                try {
                    rows = integrate(batch);
                } catch (ServiceUnavailableException | SessionExpiredException | SecurityException down) {
                    unreachable(down);
                    if (acks != null) {
                        waiting.put(file, acks);
                    }
                    nextReplay = System.currentTimeMillis() + REPLAY_INTERVAL_MS;
                    return;
                } catch (Neo4jException whole) {
                    for (Pending p : batch) {
                        try {
                            integrateAlone(p);
                        } catch (ServiceUnavailableException | SessionExpiredException | SecurityException down) {
                            // gone mid-isolation: keep the file (what was integrated replays as duplicate), retry later
                            unreachable(down);
                            if (acks != null) {
                                waiting.put(file, acks);
                            }
                            nextReplay = System.currentTimeMillis() + REPLAY_INTERVAL_MS;
                            return;
                        } catch (Neo4jException alone) {
                            deadLetter(p, alone);
                        }
                    }
                }
                // committed: the file goes before the final acks, so a client that holds its final ack never finds
                // the envelope still spooled (a crash in between only costs the client a re-send, answered duplicate)
                spool.delete(file);
                replayed.addAndGet(batch.size());
                spoolDepth.addAndGet(-batch.size());
                if (rows != null) {
                    acknowledge(batch, rows);
                }
                LOG.info("replayed {} spooled envelope(s) from {}; {} left in the spool", batch.size(), file.getFileName(),
                        spoolDepth.get());
            }
        } catch (java.io.IOException e) {
            LOG.error("cannot read the spool {}: {}", spool.directory(), e.toString());
            nextReplay = System.currentTimeMillis() + REPLAY_INTERVAL_MS;
        }
    }

    /**
     * One envelope in its own transaction, after its batch failed as a whole. A uniqueness violation on the
     * envelope's id means another transaction (another bridge, or a replay) created that :Stimulus concurrently and
     * has committed: that is a duplicate race, not a poison envelope, so it runs again (up to
     * {@link #CONSTRAINT_RACE_RETRIES} times) and is then answered {@code duplicate} by the plugin.
     */
    private void integrateAlone(Pending p) {
        for (int attempt = 0; ; attempt++) {
            try {
                acknowledge(List.of(p), integrate(List.of(p)));
                return;
            } catch (ClientException e) {
                if (!lostIdRace(e) || attempt >= CONSTRAINT_RACE_RETRIES) {
                    throw e;
                }
                LOG.info("envelope {} raced another transaction on its id; integrating it again", idOf(p.envelope()));
            }
        }
    }

    /**
     * Whether a failure is a uniqueness conflict: reported as such, or (measured: two bridges, same ids) as
     * {@code membrane.integrate} failing with Neo4j's {@code IndexEntryConflictException} on the :Stimulus id.
     */
    static boolean lostIdRace(ClientException e) {
        return CONSTRAINT_VIOLATION.equals(e.code()) || String.valueOf(e.getMessage()).contains("IndexEntryConflictException");
    }

    /** Remembers (and logs once per change) why Neo4j cannot be reached. */
    private void unreachable(Neo4jException e) {
        String problem = (e instanceof SecurityException ? "credentials refused: " : "unreachable: ") + e.getMessage();
        if (!problem.equals(databaseProblem)) {
            if (e instanceof SecurityException) {
                LOG.error("Neo4j refused the bridge's credentials ({}); envelopes are spooled until it accepts them "
                        + "(fix the credentials and restart the bridge: the spool is replayed)", e.getMessage());
            } else {
                LOG.warn("Neo4j unreachable ({}); spooling until it answers", e.getMessage());
            }
        }
        databaseProblem = problem;
    }

    private void deadLetter(Pending p, Neo4jException e) {
        try {
            deadLetters.add(p.envelope(), e.getMessage(), System.currentTimeMillis());
            deadLettered.incrementAndGet();
            LOG.error("dead-lettered envelope {}: it failed alone ({})", idOf(p.envelope()), e.getMessage());
        } catch (java.io.IOException io) {
            LOG.error("envelope {} failed alone ({}) and the dead-letter file cannot be written: {}", idOf(p.envelope()),
                    e.getMessage(), io.toString());
        }
        p.answer(Ack.rejected(idOf(p.envelope()), "dead_lettered: "
                + (e instanceof ClientException ? "client_error: " : "database_error: ") + e.getMessage()));
    }

    /**
     * One managed transaction: the driver retries transient failures itself (up to its max retry time), so there is
     * no second retry loop here; what still fails is the caller's to isolate or spool.
     */
    private List<Record> integrate(List<Pending> batch) {
        List<Map<String, Object>> envelopes = batch.stream().map(Pending::envelope).toList();
        long t0 = System.nanoTime();
        try (Session s = database.session()) {
            List<Record> rows = s.executeWrite(tx -> tx.run(INTEGRATE, Map.of("batch", envelopes)).list());
            batches.incrementAndGet();
            observe((System.nanoTime() - t0) / 1e6);
            lastCommitMillis = System.currentTimeMillis();
            if (databaseProblem != null) {
                LOG.info("Neo4j answers again (was {})", databaseProblem);
                databaseProblem = null;
            }
            return rows;
        }
    }

    /** Rows come back one per envelope, in input order (SPEC §10); the commit has happened. */
    private void acknowledge(List<Pending> batch, List<Record> rows) {
        for (int i = 0; i < batch.size(); i++) {
            Record r = rows.get(i);
            Status status = Status.fromWire(r.get("status").asString()).orElse(Status.REJECTED);
            (switch (status) {
                case ACCEPTED -> accepted;
                case DUPLICATE -> duplicates;
                default -> rejected;
            }).incrementAndGet();
            batch.get(i).answer(new Ack(r.get("id").isNull() ? idOf(batch.get(i).envelope()) : r.get("id").asString(),
                    status, r.get("reason").isNull() ? null : r.get("reason").asString(),
                    r.get("engines").asList(v -> v.get("engine").asString()), r.get("flips").asLong(), r.get("transfers").size()));
        }
    }

    private static String idOf(Map<String, Object> envelope) {
        return envelope.get("id") == null ? null : String.valueOf(envelope.get("id"));
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
