package dev.membrane.bridge.relay;

import org.neo4j.driver.Driver;
import org.neo4j.driver.Record;
import org.neo4j.driver.Session;
import org.neo4j.driver.exceptions.ClientException;
import org.neo4j.driver.exceptions.Neo4jException;

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
 * <p>This slice has no spool yet: when Neo4j is unreachable, envelopes are answered {@code error} (spool, replay and
 * dead-letter file are the next slice of the bridge issue).
 * <p>Concurrency: producers (WebSocket threads) only offer to the queue; one daemon thread, {@code membrane-relay},
 * owns the driver session and calls the ack callbacks.
 */
public final class Relay implements AutoCloseable {
    private static final String INTEGRATE = "CALL membrane.integrate($batch)";

    /** One queued envelope and where its ack goes. */
    private record Pending(Map<String, Object> envelope, Consumer<Map<String, Object>> ack) {
    }

    private final Driver driver;
    private final int batchSize;
    private final long lingerMs;
    private final BlockingQueue<Pending> queue;
    private final Thread worker;
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final AtomicLong duplicates = new AtomicLong();
    private final AtomicLong batches = new AtomicLong();
    private volatile boolean running = true;

    public Relay(Driver driver, int batchSize, long lingerMs, int capacity) {
        this.driver = driver;
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

    public Map<String, Object> metrics() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("accepted", accepted.get());
        m.put("rejected", rejected.get());
        m.put("duplicates", duplicates.get());
        m.put("batches", batches.get());
        m.put("queueDepth", queue.size());
        return m;
    }

    private void run() {
        List<Pending> batch = new ArrayList<>(batchSize);
        while (running) {
            try {
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
                relay(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } finally {
                batch.clear();
            }
        }
    }

    private void relay(List<Pending> batch) {
        try {
            acknowledge(batch, integrate(batch));
        } catch (Neo4jException whole) {
            if (batch.size() == 1) {
                batch.get(0).ack().accept(error(batch.get(0).envelope(), whole));
                return;
            }
            for (Pending p : batch) { // isolate: one envelope per transaction
                try {
                    acknowledge(List.of(p), integrate(List.of(p)));
                } catch (Neo4jException alone) {
                    p.ack().accept(error(p.envelope(), alone));
                }
            }
        }
    }

    private List<Record> integrate(List<Pending> batch) {
        List<Map<String, Object>> envelopes = batch.stream().map(Pending::envelope).toList();
        try (Session s = driver.session()) {
            List<Record> rows = s.executeWrite(tx -> tx.run(INTEGRATE, Map.of("batch", envelopes)).list());
            batches.incrementAndGet();
            return rows;
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

    @Override
    public void close() throws InterruptedException {
        running = false;
        worker.join(5_000);
    }
}
