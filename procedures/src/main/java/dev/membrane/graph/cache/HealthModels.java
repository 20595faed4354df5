package dev.membrane.graph.cache;

import dev.membrane.physics.health.HealthState;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A derived copy of each engine's health model (SPEC §6.5: its sample ring, count and fit), so that a call does not
 * decode the stored ring (4 × {@code healthWindow} floats) from the engine node every time: read whole, that was 13 %
 * of a batch-500 {@code membrane.integrate} at 100k nodes (docs/benchmarks.md).
 * <p>The truth stays on the engine node. A copy is used only while it describes what is stored there: same node
 * (element id) and same {@code healthCount}, which every write of the model raises; anything else (a reset, another
 * window, an engine deleted and made anew) reads the node. A copy is replaced only after the transaction that wrote
 * it committed, never by a rolled-back one; entries are immutable and a reader gets its own ring
 * ({@code HealthModulation.record} writes in place).
 */
public final class HealthModels {
    private record Entry(String elementId, HealthState state) {
    }

    private final Map<String, Entry> entries = new ConcurrentHashMap<>();

    /** The engine's model as committed, with a ring of the caller's own; null when no current copy is known. */
    public HealthState current(String engineId, String elementId, long storedCount) {
        Entry e = entries.get(engineId);
        if (e == null || e.state().count() != storedCount || !e.elementId().equals(elementId)) {
            return null;
        }
        HealthState s = e.state();
        return new HealthState(s.samples().clone(), s.count(), s.fit(), s.trainedAt());
    }

    /** Call after commit: {@code state} is what the engine node now holds; the caller no longer changes it. */
    public void committed(String engineId, String elementId, HealthState state) {
        entries.merge(engineId, new Entry(elementId, state),
                (old, now) -> old.elementId().equals(now.elementId()) && old.state().count() > now.state().count() ? old : now);
    }
}
