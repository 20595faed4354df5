// Cookbook: inspecting membranes and transfers.

// Every membrane with its learned permeability, flow and defences (what the plugin reports).
CALL membrane.membranes() YIELD membrane, kappaUp, kappaDown, effEma, flow, transfers, absorbed, rejections
RETURN membrane, kappaUp, kappaDown, effEma, round(flow * 100) / 100 AS flow, transfers, absorbed, rejections
ORDER BY transfers DESC;

// The latest transfers: which flipped node crossed where, aimed at which aligned nodes, and what the mission did
// (status 'delivered' or 'absorbed': written after the mission ran).
MATCH (t:Transfer)-[:FROM]->(n:Node), (t)-[:TO]->(e:Engine)
RETURN t.id AS transfer, t.direction AS direction, t.membrane AS membrane, n.id AS flipped, e.id AS target,
       t.targetNodes AS aimedAt, t.fit AS fit, t.kappa AS kappa, t.score AS score, t.status AS status,
       t.delivered AS delivered, t.flips AS flips, t.outcomes AS outcomes
ORDER BY t.ts DESC LIMIT 25;

// The chain of one client stimulus: its flips, the transfers they caused, and the missions' own effects.
MATCH (s:Stimulus {id: $stimulusId})-[i:INJECTED]->(n:Node)
OPTIONAL MATCH (t:Transfer)-[:FROM]->(n) WHERE t.mission STARTS WITH 'mission-'
OPTIONAL MATCH (t)-[:CARRIED]->(m:Stimulus)-[mi:INJECTED]->(mn:Node)
RETURN n.id AS node, i.deltaE AS deltaE, t.id AS transfer, t.target AS target, collect(mn.id) AS missionReached;

// Structural fit: which citizens are aligned with an org node, and how well.
MATCH (low:Node)-[a:LIFTS_TO|CORRESPONDS_TO|SUPPORTS]->(up:Node {id: $orgNodeId})
RETURN low.engine AS citizen, low.id AS node, type(a) AS alignment, coalesce(a.fit, 1.0) AS fit
ORDER BY fit DESC;

// Tell a membrane how a transfer went: only outcomes move κ; the source whose stimulus caused the flip learns too.
// outcomeId makes a retried report count once (a repeat answers 'duplicate'); an absorbed transfer is refused.
CALL membrane.outcome({transferId: $transferId, outcome: 1.0, outcomeId: $reportId})
YIELD status, reason, membrane, kappa, source, utility, harm
RETURN status, reason, membrane, kappa, source, utility, harm;

// Rejections as they happen (telemetry of committed transactions).
CALL membrane.events(-1, 1000) YIELD seq, type, payload
WHERE type = 'membrane.export.rejected'
RETURN seq, payload.membrane AS membrane, payload.direction AS direction, payload.reason AS reason, payload.axes AS axes;
