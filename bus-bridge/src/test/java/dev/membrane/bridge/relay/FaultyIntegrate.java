package dev.membrane.bridge.relay;

import org.neo4j.graphdb.Transaction;
import org.neo4j.procedure.Context;
import org.neo4j.procedure.Mode;
import org.neo4j.procedure.Name;
import org.neo4j.procedure.Procedure;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

/**
 * A stand-in for the plugin's {@code membrane.integrate}, registered in a real Neo4j, that fails the ways the
 * {@link Integrator} must tell apart. The plugin itself never throws for a bad envelope (it answers row by row), so a
 * poison envelope — a plugin bug a particular envelope triggers — and a database failing underneath need a stand-in
 * to be produced on demand. Rows have the plugin's columns; accepted envelopes are written as {@code :Stimulus}.
 */
public class FaultyIntegrate {
    enum Fault {
        /** Envelopes whose id starts with {@code poison} make the procedure throw, always. */
        NONE,
        /** Every transaction is terminated (what Neo4j does to open transactions when it stops). */
        TERMINATE,
        /** Every call fails, empty or not (a database going down under the procedure). */
        FAIL_ALL
    }

    static final AtomicReference<Fault> FAULT = new AtomicReference<>(Fault.NONE);
    /** This many calls with envelopes fail whatever they carry, then calls succeed again (a hiccup). */
    static final AtomicInteger HICCUPS = new AtomicInteger();

    @Context
    public Transaction tx;

    @Procedure(name = "membrane.integrate", mode = Mode.WRITE)
    public Stream<Row> integrate(@Name("envelopes") List<Map<String, Object>> envelopes) {
        switch (FAULT.get()) {
            case TERMINATE -> tx.terminate();
            case FAIL_ALL -> throw new IllegalStateException("the database is going down");
            case NONE -> {
            }
        }
        if (!envelopes.isEmpty() && HICCUPS.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throw new IllegalStateException("a hiccup under the procedure");
        }
        return envelopes.stream().map(e -> {
            String id = String.valueOf(e.get("id"));
            if (id.startsWith("poison")) {
                throw new IllegalArgumentException("a plugin bug this envelope triggers: " + id);
            }
            tx.execute("CREATE (:Stimulus {id: $id})", Map.of("id", id)).close();
            return new Row(id);
        }).toList().stream();
    }

    public static final class Row {
        public final String id;
        public final String status = "accepted";
        public final String reason = null;
        public final List<Map<String, Object>> engines = List.of();
        public final long flips = 0;
        public final List<Map<String, Object>> transfers = List.of();

        Row(String id) {
            this.id = id;
        }
    }
}
