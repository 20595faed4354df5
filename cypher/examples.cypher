// Example calls. Run after CALL membrane.setup() and, for the demo world, cypher/demo.cypher.

// Effective configuration (defaults, conf/membrane.conf, system properties, this call's overrides).
CALL membrane.config() YIELD key, value, origin RETURN key, value, origin;

// One stimulus into one engine, retrieved by full text (no embedding given).
CALL membrane.inject('atlas', {content: 'nightly database backup failed', source: 'script:backup'})
YIELD stimulusId, matches, budget, delivered, flips, items
RETURN stimulusId, matches, budget.final AS budget, delivered, flips, items;

// The same with a fixed clock and the uniform baseline, to compare policies at equal budget. The clock is in the past,
// so what it writes decays away in real time (a clock in the future would pin energies until that date).
CALL membrane.inject('atlas', {content: 'nightly database backup failed'}, {policy: 'uniform_topk', clockMs: 1767225600000})
YIELD policy, budget, delivered, flips RETURN policy, budget.final AS budget, delivered, flips;

// Straight to named nodes of the engine (bypasses retrieval, never chooses the engine).
CALL membrane.inject('ada', {content: 'review', targetNodes: ['ada:review', 'ada:validation']})
YIELD flips, items RETURN flips, items;

// Audit trail: what a stimulus delivered, node by node.
MATCH (s:Stimulus)-[i:INJECTED]->(n:Node)
RETURN s.id AS stimulus, s.source AS source, n.id AS node, i.similarity AS similarity, i.gapBefore AS gap,
       i.deltaE AS deltaE, i.reason AS reason
ORDER BY s.ts DESC, i.deltaE DESC LIMIT 25;

// Active nodes per engine.
MATCH (e:Engine) RETURN e.id AS engine, e.level AS level, e.activeCount AS active ORDER BY level DESC, engine;
