package dev.membrane.bridge.relay;

import dev.membrane.bridge.neo4j.Database;
import dev.membrane.bridge.spool.DeadLetters;
import dev.membrane.protocol.Ack;
import dev.membrane.protocol.Status;
import org.neo4j.driver.Record;
import org.neo4j.driver.Session;
import org.neo4j.driver.exceptions.ClientException;
import org.neo4j.driver.exceptions.Neo4jException;
import org.neo4j.driver.exceptions.SecurityException;
import org.neo4j.driver.exceptions.ServiceUnavailableException;
import org.neo4j.driver.exceptions.SessionExpiredException;
import org.neo4j.driver.exceptions.TransientException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The one path by which envelopes reach Neo4j, shared by the live relay and the spool replay: the batch in one
 * managed transaction {@code CALL membrane.integrate($batch)}; if the database refuses the batch as a whole (never a
 * bad envelope: the plugin answers those row by row), each envelope in its own transaction, so only a poison
 * envelope fails, and it alone is dead-lettered and answered {@code rejected}.
 * <p>An envelope is poison only when it fails alone <em>twice</em> while the database, between the two attempts,
 * runs {@code membrane.integrate} on an empty batch: a database shutting down terminates transactions with errors
 * that look like the request's (measured: a Neo4j stopped under a stream had 267 acknowledged envelopes
 * dead-lettered before this rule).
 * <p>One retry layer: the driver's managed transactions retry transient failures (up to its max retry time). What
 * still fails because the <em>database</em> is not available — unreachable, credentials refused, still unavailable
 * after the retries, the plugin or database missing — is not the envelope's fault: delivery stops there and the
 * caller keeps what was not integrated (spool, or the spool file it came from).
 * <p>Acks are built here but sent by the caller, after it has settled the spool, so a client holding a final ack
 * never finds its envelope still spooled.
 */
final class Integrator {
    private static final String INTEGRATE = "CALL membrane.integrate($batch)";
    /** The probe between a lone failure and its second attempt: the procedure runs, nothing is written. */
    private static final String PROBE = "CALL membrane.integrate([])";
    private static final Logger LOG = LoggerFactory.getLogger(Integrator.class);

    /** Neo4j's status code of a uniqueness violation (two transactions creating the same :Stimulus id). */
    static final String CONSTRAINT_VIOLATION = "Neo.ClientError.Schema.ConstraintValidationFailed";
    /** Lone attempts before an envelope is poison, with a {@link #probe()} between them. */
    static final int POISON_ATTEMPTS = 2;
    /** How often an envelope that lost a race on its id is integrated again (it then reads as a duplicate). */
    static final int CONSTRAINT_RACE_RETRIES = 3;

    /**
     * What happened to a batch: {@code acks[i]} is the final ack of envelope i, or null when it was not integrated
     * because the database became unavailable ({@code unavailable} then says why).
     */
    record Delivery(List<Ack> acks, String unavailable) {
        boolean complete() {
            return unavailable == null;
        }

        /** The envelopes still to deliver, in order. */
        List<Map<String, Object>> undelivered(List<Map<String, Object>> envelopes) {
            List<Map<String, Object>> out = new ArrayList<>();
            for (int i = 0; i < envelopes.size(); i++) {
                if (acks.get(i) == null) {
                    out.add(envelopes.get(i));
                }
            }
            return out;
        }
    }

    private final Database database;
    private final DeadLetters deadLetters;
    private final RelayMetrics metrics;

    Integrator(Database database, DeadLetters deadLetters, RelayMetrics metrics) {
        this.database = database;
        this.deadLetters = deadLetters;
        this.metrics = metrics;
    }

    Delivery deliver(List<Map<String, Object>> envelopes) {
        Ack[] acks = new Ack[envelopes.size()];
        try {
            List<Record> rows = integrate(envelopes);
            for (int i = 0; i < acks.length; i++) {
                acks[i] = ackOf(rows.get(i), envelopes.get(i));
            }
            return new Delivery(Arrays.asList(acks), null);
        } catch (Neo4jException whole) {
            String unavailable = unavailable(whole);
            if (unavailable != null) {
                return new Delivery(Arrays.asList(acks), unavailable);
            }
            LOG.warn("a batch of {} failed as a whole ({}); integrating its envelopes one by one", envelopes.size(),
                    whole.getMessage());
        }
        for (int i = 0; i < acks.length; i++) {
            Neo4jException failure = null;
            for (int attempt = 0; attempt < POISON_ATTEMPTS && acks[i] == null; attempt++) {
                String unavailable = failure == null ? null : probe();
                if (unavailable != null) {
                    return new Delivery(Arrays.asList(acks), unavailable);
                }
                try {
                    acks[i] = integrateAlone(envelopes.get(i));
                } catch (Neo4jException e) {
                    unavailable = unavailable(e);
                    if (unavailable != null) {
                        return new Delivery(Arrays.asList(acks), unavailable);
                    }
                    failure = e;
                }
            }
            if (acks[i] == null) {
                acks[i] = deadLetter(envelopes.get(i), failure);
            }
        }
        return new Delivery(Arrays.asList(acks), null);
    }

    /**
     * Why a failure means the database cannot take anything now (so the batch must wait), or null when it may be
     * the batch's own fault. Transient errors reach here only after the driver's retries were exhausted (a database
     * restarting, a leader election that outlasted them).
     */
    static String unavailable(Neo4jException e) {
        if (e instanceof SecurityException) {
            return "credentials refused: " + e.getMessage();
        }
        if (e instanceof ServiceUnavailableException || e instanceof SessionExpiredException || e instanceof TransientException) {
            return "unreachable: " + e.getMessage();
        }
        String code = String.valueOf(e.code());
        if (code.startsWith("Neo.ClientError.Database.") || code.equals("Neo.ClientError.Procedure.ProcedureNotFound")) {
            return "not serving membrane.integrate: " + e.getMessage();
        }
        if (code.startsWith("Neo.DatabaseError.") || code.startsWith("Neo.TransientError.") || DATABASE_SIDE.contains(code)) {
            return "database-side failure (" + code + "): " + e.getMessage();
        }
        return null;
    }

    /**
     * Client-error codes the database gives for what happened to the transaction, not for the request: the driver
     * reports a terminated transaction (Neo4j stopping, an operator's {@code TERMINATE TRANSACTION}) as a client
     * error and does not retry it.
     */
    static final java.util.Set<String> DATABASE_SIDE = java.util.Set.of(
            "Neo.ClientError.Transaction.Terminated",
            "Neo.ClientError.Transaction.LockClientStopped",
            "Neo.ClientError.Transaction.TransactionTimedOut",
            "Neo.ClientError.Transaction.TransactionTimedOutClientConfiguration",
            "Neo.ClientError.Cluster.NotALeader",
            "Neo.ClientError.General.ForbiddenOnReadOnlyDatabase");

    /**
     * Whether the database runs {@code membrane.integrate} now, asked once: an auto-commit call, outside the driver's
     * managed-transaction retries. Asked between an envelope's two lone attempts, and by the worker before it replays
     * while the database is known to be away, so a replay attempt costs milliseconds, not the driver's retry time:
     * measured, attempts that each waited out the 5 s retry kept every live batch's ack waiting, the SDK clients'
     * queues filled at their emit rate and dropped 687 of 12,054 envelopes in {@code Neo4jRestartIT}. Null when it
     * does, else why not.
     */
    String probe() {
        try (Session s = database.session()) {
            s.run(PROBE).consume();
            return null;
        } catch (Neo4jException e) {
            String unavailable = unavailable(e);
            return unavailable != null ? unavailable : "membrane.integrate fails on an empty batch: " + e.getMessage();
        }
    }

    /**
     * One envelope in its own transaction, after its batch failed as a whole. A uniqueness violation on the
     * envelope's id means another transaction (another bridge, or a replay) created that :Stimulus concurrently and
     * has committed: a duplicate race, not a poison envelope, so it runs again (up to {@link #CONSTRAINT_RACE_RETRIES}
     * times) and is then answered {@code duplicate} by the plugin.
     */
    private Ack integrateAlone(Map<String, Object> envelope) {
        for (int attempt = 0; ; attempt++) {
            try {
                return ackOf(integrate(List.of(envelope)).get(0), envelope);
            } catch (ClientException e) {
                if (!lostIdRace(e) || attempt >= CONSTRAINT_RACE_RETRIES) {
                    throw e;
                }
                LOG.info("envelope {} raced another transaction on its id; integrating it again", idOf(envelope));
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

    private Ack deadLetter(Map<String, Object> envelope, Neo4jException e) {
        try {
            deadLetters.add(envelope, e.getMessage(), System.currentTimeMillis());
            metrics.deadLettered.incrementAndGet();
            LOG.error("dead-lettered envelope {}: it failed alone ({})", idOf(envelope), e.getMessage());
        } catch (java.io.IOException io) {
            LOG.error("envelope {} failed alone ({}) and the dead-letter file cannot be written: {}", idOf(envelope),
                    e.getMessage(), io.toString());
        }
        return Ack.rejected(idOf(envelope), "dead_lettered: "
                + (e instanceof ClientException ? "client_error: " : "database_error: ") + e.getMessage());
    }

    /** One managed transaction (the driver retries transient failures itself); rows come back in input order. */
    private List<Record> integrate(List<Map<String, Object>> envelopes) {
        long t0 = System.nanoTime();
        try (Session s = database.session()) {
            List<Record> rows = s.executeWrite(tx -> tx.run(INTEGRATE, Map.of("batch", envelopes)).list());
            metrics.committed((System.nanoTime() - t0) / 1e6);
            return rows;
        }
    }

    /** Rows come back one per envelope, in input order (SPEC §10); the commit has happened. */
    private static Ack ackOf(Record r, Map<String, Object> envelope) {
        Status status = Status.fromWire(r.get("status").asString()).orElse(Status.REJECTED);
        return new Ack(r.get("id").isNull() ? idOf(envelope) : r.get("id").asString(), status,
                r.get("reason").isNull() ? null : r.get("reason").asString(),
                r.get("engines").asList(v -> v.get("engine").asString()), r.get("flips").asLong(), r.get("transfers").size());
    }

    static String idOf(Map<String, Object> envelope) {
        return envelope.get("id") == null ? null : String.valueOf(envelope.get("id"));
    }
}
