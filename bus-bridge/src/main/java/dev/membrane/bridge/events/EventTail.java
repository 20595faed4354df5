package dev.membrane.bridge.events;

import dev.membrane.bridge.neo4j.Database;
import org.neo4j.driver.Record;
import org.neo4j.driver.Session;
import org.neo4j.driver.exceptions.Neo4jException;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.function.Consumer;

/**
 * SPEC §11 event fan-out: tails {@code membrane.events(sinceSeq, limit)} (committed transactions only) and hands each
 * event to every subscriber. Starts at the newest event at start-up: subscribers get what happens after they joined.
 * <p>Concurrency: one daemon thread, {@code membrane-events}, polls and delivers; subscribers are a copy-on-write set
 * (joins and leaves are rare, deliveries frequent). A subscriber must not block (the endpoint queues and drops).
 */
public final class EventTail implements AutoCloseable {
    private static final String EVENTS = "CALL membrane.events($since, $limit) YIELD seq, type, ts, engine, stimulusId, payload "
            + "RETURN seq, type, ts, engine, stimulusId, payload";

    /** Events read per {@code membrane.events} call (the plugin's eventsMaxLimit bounds it too). */
    public static final int PAGE = 1_000;

    private final Database database;
    private final long pollMs;
    private final int limit;
    private final Set<Consumer<Map<String, Object>>> subscribers = new CopyOnWriteArraySet<>();
    private final Thread worker;
    private volatile boolean running = true;
    private volatile long lastSeq = -1;

    public EventTail(Database database, long pollMs, int limit) {
        this.database = database;
        this.pollMs = pollMs;
        this.limit = limit;
        this.worker = new Thread(this::run, "membrane-events");
        this.worker.setDaemon(true);
        this.worker.start();
    }

    public void subscribe(Consumer<Map<String, Object>> s) {
        subscribers.add(s);
    }

    public void unsubscribe(Consumer<Map<String, Object>> s) {
        subscribers.remove(s);
    }

    /** The newest sequence number read so far (-1 before the first poll): a state read after it covers events up to it. */
    public long lastSeq() {
        return lastSeq;
    }

    public int subscribers() {
        return subscribers.size();
    }

    private final java.util.concurrent.atomic.AtomicLong dropped = new java.util.concurrent.atomic.AtomicLong();

    /** A subscriber was closed for being too slow. */
    public void dropped(Consumer<Map<String, Object>> s) {
        if (subscribers.remove(s)) {
            dropped.incrementAndGet();
        }
    }

    public long droppedSubscribers() {
        return dropped.get();
    }

    private void run() {
        boolean primed = false;
        while (running) {
            try (Session s = database.session()) {
                List<Record> rows = s.executeRead(tx -> tx.run(EVENTS, Map.of("since", lastSeq, "limit", limit)).list());
                for (Record r : rows) {
                    lastSeq = Math.max(lastSeq, r.get("seq").asLong());
                    if (primed) {
                        Map<String, Object> e = new LinkedHashMap<>();
                        e.put("seq", r.get("seq").asLong());
                        e.put("type", r.get("type").asString());
                        e.put("ts", r.get("ts").asLong());
                        e.put("engine", r.get("engine").isNull() ? null : r.get("engine").asString());
                        e.put("stimulusId", r.get("stimulusId").isNull() ? null : r.get("stimulusId").asString());
                        e.put("payload", r.get("payload").asMap());
                        subscribers.forEach(sub -> sub.accept(e));
                    }
                }
                if (rows.size() < limit) {
                    primed = true; // caught up with what was retained before start-up
                    Thread.sleep(pollMs);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Neo4jException unreachable) {
                sleepQuietly();
            }
        }
    }

    private void sleepQuietly() {
        try {
            Thread.sleep(Math.max(pollMs, 500));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

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
