// Cookbook: inspecting membranes and transfers.

// Every membrane with its learned permeability, flow and defences (what the plugin reports).
CALL membrane.membranes() YIELD membrane, kappaUp, kappaDown, effEma, flow, transfers, rejections
RETURN membrane, kappaUp, kappaDown, effEma, round(flow * 100) / 100 AS flow, transfers, rejections
ORDER BY transfers DESC;

// The latest transfers: which flipped node crossed where, with what score, and what the mission did.
MATCH (t:Transfer)-[:FROM]->(n:Node), (t)-[:TO]->(e:Engine)
OPTIONAL MATCH (t)-[:CARRIED]->(m:Stimulus)
RETURN t.id AS transfer, t.direction AS direction, t.membrane AS membrane, n.id AS flipped, e.id AS target,
       t.score AS score, m.delivered AS missionDelivered, m.flips AS missionFlips, t.outcomes AS outcomes
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

// Tell a membrane how a transfer went: only outcomes move κ.
CALL membrane.outcome({transferId: $transferId, outcome: 1.0}) YIELD status, source AS membrane, trust AS kappa
RETURN status, membrane, kappa;

// Rejections as they happen (telemetry of committed transactions).
CALL membrane.events(-1, 1000) YIELD seq, type, payload
WHERE type = 'membrane.export.rejected'
RETURN seq, payload.membrane AS membrane, payload.direction AS direction, payload.reason AS reason, payload.axes AS axes;
