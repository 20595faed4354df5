// The user's alternative to membrane.integrate: the same stimulus pipeline as plain Cypher over Neo4j's vector
// index, kept readable as the reference the benchmark (bench/run) measures Membrane against. One statement per
// batch of stimuli ($batch: maps with id, source, scope, embedding), in one transaction.
//
// What it does, as Membrane's SPEC §4/§6 prescribe in their simplest form:
//   retrieval   the top 64 nodes by cosine (the vector index reports (1 + cos)/2), kept when their engine serves
//               the stimulus' scope and cos passes the noise floors (absolute 0.2, relative 0.5 · best);
//   budget      1.5 · the kept nodes' summed gap to threshold, capped at 200;
//   energy      shared in proportion to similarity, each node filled at most to its gap (no overshoot);
//   audit       a (:Stimulus) node per stimulus with its delivered energy.
// What it leaves out (Membrane does these): decay, refractory, source mass, trust and anomaly gates, health, links,
// flips and the membrane between levels. So this is a lower bound on the work of the real pipeline.
UNWIND $batch AS s
CALL db.index.vector.queryNodes('membrane_node_embedding', 64, s.embedding) YIELD node, score
WITH s, node, 2 * score - 1 AS sim
WHERE sim >= 0.2
MATCH (e:Engine {id: node.engine})
WHERE e.scope = s.scope
WITH s, collect({node: node, sim: sim}) AS hits, max(sim) AS best
WITH s, [h IN hits WHERE h.sim >= 0.5 * best] AS kept
WITH s, kept,
     reduce(g = 0.0, h IN kept | g + CASE WHEN h.node.threshold > coalesce(h.node.energy, 0.0)
                                         THEN h.node.threshold - coalesce(h.node.energy, 0.0) ELSE 0.0 END) AS gapMass,
     reduce(t = 0.0, h IN kept | t + h.sim) AS simSum
WITH s, kept, simSum, CASE WHEN 1.5 * gapMass < 200.0 THEN 1.5 * gapMass ELSE 200.0 END AS budget
CALL (s, kept, simSum, budget) {
  UNWIND kept AS h
  WITH h.node AS n, budget * h.sim / simSum AS share,
       CASE WHEN h.node.threshold > coalesce(h.node.energy, 0.0) THEN h.node.threshold - coalesce(h.node.energy, 0.0) ELSE 0.0 END AS gap
  WITH n, CASE WHEN share < gap THEN share ELSE gap END AS delta
  SET n.energy = coalesce(n.energy, 0.0) + delta
  RETURN sum(delta) AS delivered
}
CREATE (:Stimulus {id: s.id, source: s.source, scope: s.scope, delivered: delivered, ts: timestamp()})
RETURN count(*) AS stimuli
