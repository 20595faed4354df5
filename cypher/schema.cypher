// Membrane schema: what membrane.setup() creates, for people who prefer to read it.
// Run CALL membrane.setup() instead of these statements; it is idempotent and reports conflicts.
CALL membrane.setup();
CALL db.awaitIndexes(300);
