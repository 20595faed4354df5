// Membrane demo world: one organisation (acme), four citizens (ada, felix, atlas, iris) and the ecosystem.
// Nodes carry text; embeddings are added by the demo runner (see docs/architecture.md "Demo embeddings"), so
// this file also works on its own in any Neo4j with the plugin (retrieval then uses the full-text index).
// Idempotent: MERGE everywhere. Statements are separated by semicolons at line ends.

// --- Engines --------------------------------------------------------------------------------------------
UNWIND [
  {id: 'eco',   level: 3, scope: 'ecosystem'},
  {id: 'acme',  level: 2, scope: 'organizational'},
  {id: 'ada',   level: 1, scope: 'personal'},
  {id: 'felix', level: 1, scope: 'personal'},
  {id: 'atlas', level: 1, scope: 'personal'},
  {id: 'iris',  level: 1, scope: 'personal'}
] AS e
MERGE (x:Engine {id: e.id})
SET x.level = e.level, x.scope = e.scope, x.activeCount = coalesce(x.activeCount, 0);

// --- Substrate nodes: [engine, local id, text, peripheral] ----------------------------------------------
UNWIND [
  ['acme', 'reanimation', 'citizen reanimation pattern: wake dormant citizens and restore their working context', false],
  ['acme', 'roadmap', 'platform architecture roadmap for the membrane bus and graph physics', false],
  ['acme', 'incident', 'production incident response: outages, failed deploys and database recovery', false],
  ['acme', 'onboarding', 'onboarding new citizens and partners into the organisation', false],
  ['acme', 'quality', 'quality bar: reviews, tests and benchmarks before every release', false],
  ['acme', 'budget', 'compute budget and infrastructure costs of the organisation', false],
  ['acme', 'community', 'community updates, documentation and public demos', false],
  ['acme', 'security', 'security review of tokens, secrets and access rights', false],
  ['acme', 'hiring', 'hiring plan and team growth for next quarter', false],
  ['acme', 'mission', 'mission: let graph physics, not client code, decide what wakes up', true],
  ['acme', 'retro', 'weekly retrospective of what worked and what failed', false],
  ['acme', 'release', 'release train: versioning, changelog and packaging of the plugin jar', false],

  ['ada', 'architecture', 'system architecture design of the event schema and module boundaries', false],
  ['ada', 'schema', 'event schema and envelope contract between bridge, plugin and sdk', false],
  ['ada', 'review', 'design review of pull requests for layering and naming', false],
  ['ada', 'physics', 'graph physics model: energy, thresholds, decay and flips', false],
  ['ada', 'membrane', 'cross level membrane design: permeability, fit and anti gaming gates', false],
  ['ada', 'diagram', 'architecture diagrams of data flow through the bus', false],
  ['ada', 'adr', 'architecture decision records and their trade offs', false],
  ['ada', 'validation', 'validation of invariants: bounded energies, no NaN, determinism', false],
  ['ada', 'reading', 'reading papers on working memory and attention', false],
  ['ada', 'mentoring', 'mentoring felix on design patterns', false],
  ['ada', 'identity', 'ada: architect who keeps the system coherent', true],
  ['ada', 'tea', 'afternoon tea and a walk in the park', false],

  ['felix', 'debugging', 'debugging failing scripts and flaky tests', false],
  ['felix', 'scripts', 'python and shell scripts for data migration', false],
  ['felix', 'sdk', 'java sdk emitter: queue, flusher, spool and replay', false],
  ['felix', 'errors', 'script error reports with stack traces and fingerprints', false],
  ['felix', 'tests', 'unit tests and integration tests with a real database', false],
  ['felix', 'refactor', 'refactoring the relay into small classes', false],
  ['felix', 'build', 'maven build, wrapper and continuous integration pipeline', false],
  ['felix', 'perf', 'profiling hot loops and allocation in the injector', false],
  ['felix', 'pairing', 'pair programming sessions with ada', false],
  ['felix', 'identity', 'felix: engineer who makes things run', true],
  ['felix', 'music', 'playing guitar on weekends', false],
  ['felix', 'deploy', 'deploy scripts for the bus bridge process', false],

  ['atlas', 'database', 'database operations: backups, restores and index rebuilds', false],
  ['atlas', 'backup', 'nightly database backup job and its failure alerts', false],
  ['atlas', 'monitoring', 'monitoring dashboards, metrics and alerting thresholds', false],
  ['atlas', 'deploys', 'production deploys, rollbacks and release windows', false],
  ['atlas', 'capacity', 'capacity planning of memory, disk and cpu', false],
  ['atlas', 'oncall', 'on call rotation and incident handling', false],
  ['atlas', 'network', 'network configuration, loopback binding and firewalls', false],
  ['atlas', 'costs', 'infrastructure costs and cloud bills', false],
  ['atlas', 'logs', 'log retention, rotation and search', false],
  ['atlas', 'identity', 'atlas: operator who keeps production alive', true],
  ['atlas', 'hiking', 'hiking trips in the mountains', false],
  ['atlas', 'recovery', 'disaster recovery drills and restore tests', false],

  ['iris', 'ux', 'user experience of the dashboard and onboarding flow', false],
  ['iris', 'docs', 'documentation, tutorials and the readme', false],
  ['iris', 'community', 'community questions, demos and feedback', false],
  ['iris', 'ui', 'ui actions: clicks, forms and navigation events', false],
  ['iris', 'accessibility', 'accessibility review of colours and keyboard navigation', false],
  ['iris', 'research', 'user research interviews and personas', false],
  ['iris', 'copy', 'copywriting of error messages that say the fix', false],
  ['iris', 'visuals', 'visual design of graphs and energy plots', false],
  ['iris', 'identity', 'iris: designer who speaks for the people using it', true],
  ['iris', 'painting', 'watercolour painting and sketching', false],
  ['iris', 'onboarding', 'welcoming new citizens and explaining the organisation', false],
  ['iris', 'feedback', 'collecting feedback after releases', false],

  ['eco', 'standards', 'open standards for stimulus envelopes across organisations', false],
  ['eco', 'commons', 'shared commons of tools, models and datasets', false],
  ['eco', 'trust', 'trust and reputation between organisations', false]
] AS n
MERGE (x:Node {id: n[0] + ':' + n[1]})
SET x.engine = n[0], x.text = n[2], x.threshold = coalesce(x.threshold, 30.0),
    x.energy = coalesce(x.energy, 0.0), x.flips = coalesce(x.flips, 0)
FOREACH (_ IN CASE WHEN n[3] THEN [1] ELSE [] END | SET x.peripheral = true);

// --- Subentities (channels) ------------------------------------------------------------------------------
UNWIND [
  ['ada', 'architect', 'Architect: designs structure, boundaries and contracts',
     ['architecture', 'schema', 'diagram', 'adr', 'membrane']],
  ['ada', 'validator', 'Validator: checks invariants, reviews and proofs',
     ['validation', 'review', 'physics']],
  ['felix', 'builder', 'Builder: writes and ships code',
     ['sdk', 'scripts', 'refactor', 'build', 'deploy']],
  ['felix', 'fixer', 'Fixer: hunts bugs and flaky tests',
     ['debugging', 'errors', 'tests', 'perf']]
] AS s
MERGE (e:SubEntity {id: s[0] + ':' + s[1]})
SET e.engine = s[0], e.text = s[2], e.successFlips = coalesce(e.successFlips, 0),
    e.successGap = coalesce(e.successGap, 0.0), e.obs = coalesce(e.obs, 0)
WITH e, s
UNWIND s[3] AS member
MATCH (n:Node {id: s[0] + ':' + member})
MERGE (n)-[m:MEMBER_OF]->(e)
SET m.weight = 1.0;

// --- Alignment: lower-level node -> upper-level node or engine, with structural fit ------------------------
UNWIND [
  ['ada:architecture', 'acme:roadmap', 'LIFTS_TO', 0.9],
  ['ada:membrane', 'acme:roadmap', 'CORRESPONDS_TO', 0.85],
  ['ada:validation', 'acme:quality', 'SUPPORTS', 0.8],
  ['ada:identity', 'acme:reanimation', 'SUPPORTS', 0.7],
  ['felix:tests', 'acme:quality', 'SUPPORTS', 0.85],
  ['felix:deploy', 'acme:release', 'LIFTS_TO', 0.8],
  ['felix:build', 'acme:release', 'SUPPORTS', 0.75],
  ['felix:identity', 'acme:reanimation', 'SUPPORTS', 0.95],
  ['atlas:database', 'acme:incident', 'LIFTS_TO', 0.95],
  ['atlas:oncall', 'acme:incident', 'CORRESPONDS_TO', 0.9],
  ['atlas:costs', 'acme:budget', 'LIFTS_TO', 0.9],
  ['atlas:identity', 'acme:reanimation', 'SUPPORTS', 0.9],
  ['iris:docs', 'acme:community', 'LIFTS_TO', 0.9],
  ['iris:onboarding', 'acme:onboarding', 'CORRESPONDS_TO', 0.95],
  ['iris:identity', 'acme:reanimation', 'SUPPORTS', 0.6],
  ['acme:community', 'eco:commons', 'SUPPORTS', 0.6],
  ['acme:mission', 'eco:standards', 'LIFTS_TO', 0.8]
] AS a
MATCH (low:Node {id: a[0]}), (up:Node {id: a[1]})
FOREACH (_ IN CASE WHEN a[2] = 'LIFTS_TO' THEN [1] ELSE [] END | MERGE (low)-[r:LIFTS_TO]->(up) SET r.fit = a[3])
FOREACH (_ IN CASE WHEN a[2] = 'CORRESPONDS_TO' THEN [1] ELSE [] END | MERGE (low)-[r:CORRESPONDS_TO]->(up) SET r.fit = a[3])
FOREACH (_ IN CASE WHEN a[2] = 'SUPPORTS' THEN [1] ELSE [] END | MERGE (low)-[r:SUPPORTS]->(up) SET r.fit = a[3]);

// --- Membranes: citizen -> org, org -> ecosystem -------------------------------------------------------------
UNWIND [['ada', 'acme'], ['felix', 'acme'], ['atlas', 'acme'], ['iris', 'acme'], ['acme', 'eco']] AS m
MATCH (low:Engine {id: m[0]}), (up:Engine {id: m[1]})
MERGE (low)-[x:MEMBRANE_TO]->(up)
SET x.kappaUp = coalesce(x.kappaUp, 0.5), x.kappaDown = coalesce(x.kappaDown, 0.9),
    x.effEma = coalesce(x.effEma, 0.0), x.flow = coalesce(x.flow, 0.0);

// --- Links inside engines (direction evidence counters start at 0) -----------------------------------------
UNWIND [
  ['ada:architecture', 'ada:schema', 'ada:physics', 'ada:membrane'],
  ['felix:debugging', 'felix:tests', 'felix:errors', 'felix:perf'],
  ['atlas:backup', 'atlas:database', 'atlas:recovery', 'atlas:monitoring'],
  ['iris:ux', 'iris:ui', 'iris:docs', 'iris:copy']
] AS chain
UNWIND range(0, size(chain) - 2) AS i
MATCH (a:Node {id: chain[i]}), (b:Node {id: chain[i + 1]})
MERGE (a)-[r:RELATES_TO]->(b)
SET r.weight = coalesce(r.weight, 1.0), r.fwd = coalesce(r.fwd, 0), r.bwd = coalesce(r.bwd, 0);
