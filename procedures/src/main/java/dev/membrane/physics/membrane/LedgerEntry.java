package dev.membrane.physics.membrane;

/**
 * One attempt to cross a membrane, as the ledger remembers it (SPEC §7.1 step 3, step 6): every attempt that passed
 * the gates is recorded, delivered or absorbed, so a blocked repeat stays blocked.
 *
 * @param hash content hash: node id + stimulus content
 */
public record LedgerEntry(long ts, Direction direction, String hash) {
}
