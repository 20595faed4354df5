package dev.membrane.bridge.ws;

import dev.membrane.bridge.events.EventTail;
import dev.membrane.bridge.relay.Relay;

import java.util.Locale;
import java.util.Map;

/** SPEC §11 {@code GET /metrics}: the bus's counters and gauges in the Prometheus text exposition format. */
final class Metrics {
    private Metrics() {
    }

    /** @param dashboard adds the substrate measures (flip yield, coverage entropy, attribution shares), or null */
    static String prometheus(Relay relay, EventTail events, dev.membrane.bridge.dashboard.Dashboard dashboard) {
        Map<String, Object> m = relay.metrics();
        StringBuilder out = new StringBuilder();
        counter(out, "membrane_bridge_accepted_total", "Envelopes integrated (status accepted).", m.get("accepted"));
        counter(out, "membrane_bridge_rejected_total", "Envelopes rejected by the plugin.", m.get("rejected"));
        counter(out, "membrane_bridge_duplicates_total", "Envelopes answered duplicate.", m.get("duplicates"));
        counter(out, "membrane_bridge_batches_total", "membrane.integrate transactions committed.", m.get("batches"));
        counter(out, "membrane_bridge_spooled_total", "Envelopes spooled while Neo4j was unreachable.", m.get("spooled"));
        counter(out, "membrane_bridge_replayed_total", "Spooled envelopes replayed.", m.get("replayed"));
        counter(out, "membrane_bridge_dead_lettered_total", "Envelopes written to the dead-letter file.", m.get("deadLettered"));
        counter(out, "membrane_bridge_spool_failures_total", "Envelopes answered retry: neither Neo4j nor the spool took them.",
                m.get("spoolFailures"));
        counter(out, "membrane_bridge_relay_errors_total", "Batches that failed unexpectedly (logged; answered retry).", m.get("relayErrors"));
        gauge(out, "membrane_bridge_spool_writable", "1 when the spool can be written, 0 when not (see /health reason).",
                relay.spoolProblem() == null ? 1 : 0);
        gauge(out, "membrane_bridge_queue_depth", "Envelopes waiting in the relay queue.", m.get("queueDepth"));
        gauge(out, "membrane_bridge_spool_size", "Envelopes waiting in the spool.", m.get("spoolSize"));
        gauge(out, "membrane_bridge_subscribers", "Connections subscribed to events.", events.subscribers());
        counter(out, "membrane_bridge_dropped_subscribers_total", "Subscribers closed for being too slow.", events.droppedSubscribers());
        out.append("# HELP membrane_bridge_batch_latency_ms Time of one membrane.integrate transaction.\n")
                .append("# TYPE membrane_bridge_batch_latency_ms histogram\n");
        long[] counts = relay.latencyCounts();
        long cumulative = 0;
        for (int i = 0; i < counts.length; i++) {
            cumulative += counts[i];
            String le = i < Relay.LATENCY_BUCKETS_MS.length ? String.valueOf(Relay.LATENCY_BUCKETS_MS[i]) : "+Inf";
            out.append("membrane_bridge_batch_latency_ms_bucket{le=\"").append(le).append("\"} ").append(cumulative).append('\n');
        }
        out.append(String.format(Locale.ROOT, "membrane_bridge_batch_latency_ms_sum %.3f%n", relay.latencySumMs()));
        out.append("membrane_bridge_batch_latency_ms_count ").append(cumulative).append('\n');
        if (dashboard != null) {
            dashboard.prometheus(out);
        }
        return out.toString();
    }

    private static void counter(StringBuilder out, String name, String help, Object value) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n')
                .append("# TYPE ").append(name).append(" counter\n").append(name).append(' ').append(value).append('\n');
    }

    private static void gauge(StringBuilder out, String name, String help, Object value) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n')
                .append("# TYPE ").append(name).append(" gauge\n").append(name).append(' ').append(value).append('\n');
    }
}
