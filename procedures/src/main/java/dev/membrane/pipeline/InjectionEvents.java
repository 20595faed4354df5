package dev.membrane.pipeline;

import dev.membrane.events.PendingEvent;
import dev.membrane.events.TransactionBuffers;
import dev.membrane.physics.injection.InjectionOutcome;
import dev.membrane.physics.injection.ItemOutcome;
import dev.membrane.protocol.Envelope;
import dev.membrane.protocol.EventType;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The telemetry of one engine's injection (SPEC §9), in the order a reader wants it: the summary
 * ({@code stimulus.injected}), the largest deliveries ({@code stimulus.item_injected}, at most auditItems), then
 * each {@code node.flipped}. Buffered in the transaction; published only if it commits.
 */
final class InjectionEvents {
    private InjectionEvents() {
    }

    static void buffer(TransactionBuffers.Buffer buffer, String engine, Envelope stimulus, InjectionOutcome o,
                       int auditItems, long now) {
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("engine", engine);
        summary.put("source", stimulus.source());
        summary.put("matches", (long) o.selection().selected().size());
        summary.put("entropy", o.selection().entropy());
        summary.put("coverage", o.selection().coverage());
        summary.put("budget", o.budget().toMap());
        summary.put("delivered", o.delivered());
        summary.put("flips", (long) o.flips());
        summary.put("refractoryLoss", o.refractoryLoss());
        summary.put("links", (long) o.links().size());
        summary.put("linkLoss", o.linkLoss());
        summary.put("channels", o.channels().stream().map(c -> c.toMap()).toList());
        summary.put("policy", o.policy().wire());
        buffer.add(new PendingEvent(EventType.STIMULUS_INJECTED, now, engine, stimulus.id(), summary));

        List<ItemOutcome> largest = o.items().stream()
                .filter(i -> i.deltaE() > 0)
                .sorted(Comparator.comparingDouble(ItemOutcome::deltaE).reversed().thenComparing(ItemOutcome::nodeId))
                .limit(auditItems)
                .toList();
        for (ItemOutcome item : largest) {
            buffer.add(new PendingEvent(EventType.STIMULUS_ITEM_INJECTED, now, engine, stimulus.id(), item.toMap()));
        }
        for (ItemOutcome item : o.items()) {
            if (item.flipped()) {
                Map<String, Object> p = new LinkedHashMap<>();
                p.put("nodeId", item.nodeId());
                p.put("engine", engine);
                p.put("energy", item.energyAfter());
                p.put("threshold", item.threshold());
                buffer.add(new PendingEvent(EventType.NODE_FLIPPED, now, engine, stimulus.id(), p));
            }
        }
    }
}
