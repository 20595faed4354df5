package dev.membrane.extension;

import dev.membrane.events.EventRing;
import dev.membrane.events.TransactionBuffers;
import dev.membrane.graph.cache.EngineSnapshots;
import dev.membrane.graph.cache.HealthModels;
import dev.membrane.graph.cache.SourceYields;

/**
 * The in-memory state the plugin keeps per database: its event ring, the per-transaction buffers and derived
 * caches. All of it is
 * derived or transient (SPEC §0.4): learned quantities live in the graph.
 */
public record DatabaseState(String name, EventRing ring, TransactionBuffers buffers, SourceYields sourceYields,
                            EngineSnapshots snapshots, HealthModels healthModels) {
}
