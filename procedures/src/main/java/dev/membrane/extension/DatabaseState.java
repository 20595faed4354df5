package dev.membrane.extension;

import dev.membrane.events.EventRing;
import dev.membrane.events.TransactionBuffers;

/**
 * The in-memory state the plugin keeps per database: its event ring and the per-transaction buffers. All of it is
 * derived or transient (SPEC §0.4): learned quantities live in the graph.
 */
public record DatabaseState(String name, EventRing ring, TransactionBuffers buffers) {
}
