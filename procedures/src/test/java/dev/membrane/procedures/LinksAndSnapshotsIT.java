package dev.membrane.procedures;

import dev.membrane.testing.MembraneHarness;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.neo4j.driver.Record;
import org.neo4j.driver.Session;
import org.neo4j.driver.Transaction;
import org.neo4j.driver.Value;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Link-matched injection (SPEC §6.7) and the correctness of the derived engine snapshots (SPEC §14) on a real
 * Neo4j: a committed change is seen by the next call, a transaction sees its own changes, and a rolled-back
 * transaction's view never leaks into the cache.
 */
class LinksAndSnapshotsIT {
    private static MembraneHarness db;

    @BeforeAll
    static void start() {
        db = MembraneHarness.startWithSchema("membrane.embeddingDimensions=4\n");
    }

    @AfterAll
    static void stop() {
        db.close();
    }

    private static Record inject(String engine, List<Double> embedding) {
        return db.run("CALL membrane.inject($e, {embedding: $v})", Map.of("e", engine, "v", embedding)).get(0);
    }

    private static List<String> nodeIds(Record row) {
        return row.get("items").asList(Value::asMap).stream().map(m -> (String) m.get("nodeId")).toList();
    }

    @Test
    void aMatchedLinkFeedsBothEndsByItsDirectionEvidence() {
        db.run("""
                CREATE (:Engine {id: 'ln'})
                CREATE (a:Node {id: 'ln-a', engine: 'ln', embedding: [1.0, 0.0, 0.0, 0.0]})
                CREATE (b:Node {id: 'ln-b', engine: 'ln', embedding: [0.0, 1.0, 0.0, 0.0]})
                CREATE (a)-[:CAUSES {embedding: [0.0, 0.0, 1.0, 0.0], fwd: 19, bwd: 7}]->(b)""");
        Record row = db.run("CALL membrane.inject('ln', {id: 'ln-s', embedding: [0.0, 0.0, 1.0, 0.0]}, {budgetGain: 0.2})").get(0);
        List<Map<String, Object>> links = row.get("links").asList(Value::asMap);
        assertEquals(1, links.size());
        Map<String, Object> l = links.get(0);
        assertEquals("ln-a", l.get("from"));
        assertEquals(20.0 / 28, (double) l.get("fromShare"), 1e-12);
        double planned = (double) l.get("deltaE");
        assertEquals(planned * 20 / 28, (double) l.get("toFrom"), 1e-6);
        assertEquals(planned * 8 / 28, (double) l.get("toTo"), 1e-6);
        assertEquals(List.of("ln-a", "ln-b"), nodeIds(row));
        List<String> reasons = db.run("MATCH (:Stimulus {id: 'ln-s'})-[i:INJECTED]->(n) RETURN DISTINCT i.reason AS r")
                .stream().map(r -> r.get("r").asString()).toList();
        assertEquals(List.of("link"), reasons);
    }

    @Test
    void aCommittedChangeIsSeenByTheNextCall() {
        db.run("CREATE (:Engine {id: 'sn'}) CREATE (:Node {id: 'sn-old', engine: 'sn', embedding: [1.0, 0.1, 0.0, 0.0]})");
        assertEquals(List.of("sn-old"), nodeIds(inject("sn", List.of(1.0, 0.0, 0.0, 0.0)))); // builds and caches
        db.run("CREATE (:Node {id: 'sn-new', engine: 'sn', threshold: 99.0, embedding: [1.0, 0.0, 0.0, 0.0]})");
        assertTrue(nodeIds(inject("sn", List.of(1.0, 0.0, 0.0, 0.0))).contains("sn-new"), "a new node invalidates the snapshot");
        db.run("MATCH (n:Node {id: 'sn-new'}) SET n.embedding = [0.0, 0.0, 0.0, 1.0]");
        assertFalse(nodeIds(inject("sn", List.of(1.0, 0.0, 0.0, 0.0))).contains("sn-new"), "a changed embedding too");
        db.run("MATCH (n:Node {id: 'sn-new'}) DETACH DELETE n");
        assertFalse(nodeIds(inject("sn", List.of(0.0, 0.0, 0.0, 1.0))).contains("sn-new"));
        db.run("CREATE (:Node {id: 'sn-b', engine: 'sn', threshold: 99.0, embedding: [0.0, 1.0, 0.0, 0.0]})");
        assertTrue(nodeIds(inject("sn", List.of(0.0, 1.0, 0.0, 0.0))).contains("sn-b")); // cached again, without links
        db.run("MATCH (old:Node {id: 'sn-old'}), (b:Node {id: 'sn-b'}) CREATE (old)-[:LEADS_TO {embedding: [0.0, 0.0, 1.0, 0.0]}]->(b)");
        Record linked = inject("sn", List.of(0.0, 0.0, 1.0, 0.0));
        assertEquals(List.of("sn-old"), linked.get("links").asList(Value::asMap).stream().map(l -> (String) l.get("from")).toList(),
                "a created link invalidates the snapshot");
    }

    @Test
    void aTransactionSeesItsOwnChangesAndARollbackLeavesNoTrace() {
        db.run("CREATE (:Engine {id: 'rb'}) CREATE (:Node {id: 'rb-a', engine: 'rb', threshold: 99.0, embedding: [1.0, 0.0, 0.0, 0.0]})");
        inject("rb", List.of(1.0, 0.0, 0.0, 0.0)); // cached snapshot without the node below
        try (Session s = db.driver().session(); Transaction tx = s.beginTransaction()) {
            tx.run("CREATE (:Node {id: 'rb-ghost', engine: 'rb', threshold: 99.0, embedding: [0.0, 1.0, 0.0, 0.0]})").consume();
            Record row = tx.run("CALL membrane.inject('rb', {embedding: [0.0, 1.0, 0.0, 0.0]})").single();
            assertEquals(List.of("rb-ghost"), nodeIds(row), "the transaction sees its own new node");
            tx.rollback();
        }
        Record after = inject("rb", List.of(0.0, 1.0, 0.0, 0.0));
        assertEquals(List.of(), nodeIds(after), "the rolled-back node never reaches the shared snapshot");
    }
}
