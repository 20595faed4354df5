package dev.membrane.bridge.ws;

import dev.membrane.protocol.Ack;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.membrane.bridge.events.EventTail;
import dev.membrane.bridge.relay.Relay;
import dev.membrane.bridge.security.Access;
import dev.membrane.bridge.security.RateLimit;
import dev.membrane.protocol.EnvelopeField;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.StatusCode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * One WebSocket connection of the bus (SPEC §11). Frames are JSON objects with a {@code type}:
 * {@code membrane.inject} (or an array of them: a batch) → one {@code ack} per envelope after its transaction
 * committed; {@code subscribe {topics}} (globs over event types) → {@code subscribe.ack}, then matching
 * {@code event}s; {@code ping} → {@code pong}. Anything else, or text that is not a JSON object, gets an
 * {@code error} and the connection stays open.
 * <p>Concurrency: Jetty calls the listener methods one at a time per connection; acks and events arrive from the
 * relay and event threads and go through {@link #send}, which counts sends in flight: a subscriber that lets
 * {@code maxPendingSends} pile up is closed with the reason "slow subscriber" rather than slowing anyone else.
 */
public final class BusEndpoint implements Session.Listener.AutoDemanding, Consumer<Map<String, Object>> {
    static final ObjectMapper JSON = new ObjectMapper();

    private final Relay relay;
    private final EventTail events;
    private final int maxPendingSends;
    private final List<String> allowedSources;
    private final RateLimit rate;
    private final double perSecond;
    private final AtomicInteger pending = new AtomicInteger();
    private volatile Session session;
    private volatile List<Pattern> topics = List.of();

    /**
     * @param allowedSources source prefixes this connection may inject ("" = any)
     * @param perSecond      frames per second this connection may send
     */
    public BusEndpoint(Relay relay, EventTail events, int maxPendingSends, List<String> allowedSources, double perSecond) {
        this.relay = relay;
        this.events = events;
        this.maxPendingSends = maxPendingSends;
        this.allowedSources = allowedSources;
        this.perSecond = perSecond;
        this.rate = new RateLimit(perSecond, System.nanoTime());
    }

    Session session() {
        return session;
    }

    @Override
    public void onWebSocketOpen(Session s) {
        this.session = s;
    }

    @Override
    public void onWebSocketText(String text) {
        if (!rate.take(System.nanoTime())) {
            session.close(StatusCode.POLICY_VIOLATION, "rate limit exceeded: at most " + (long) perSecond + " frames per second",
                    Callback.NOOP);
            return;
        }
        JsonNode frame;
        try {
            frame = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            send(error("invalid JSON: " + e.getOriginalMessage()));
            return;
        }
        if (frame == null || !(frame.isObject() || frame.isArray())) {
            send(error("a frame must be a JSON object (or an array of membrane.inject objects)"));
            return;
        }
        if (frame.isArray()) {
            frame.forEach(this::handle);
        } else {
            handle(frame);
        }
    }

    @SuppressWarnings("unchecked")
    private void handle(JsonNode frame) {
        String type = frame.path("type").asText("");
        switch (type) {
            case EnvelopeField.INJECT_TYPE -> {
                Map<String, Object> envelope = JSON.convertValue(frame, Map.class);
                String id = envelope.get("id") == null ? null : String.valueOf(envelope.get("id"));
                if (!Access.sourceAllowed(String.valueOf(envelope.get("source")), allowedSources)) {
                    send(Ack.rejected(id, "forbidden_source: this connection's token may inject only sources starting with "
                            + allowedSources).toWire());
                    return;
                }
                if (!relay.submit(envelope, ack -> send(ack.toWire()))) {
                    send(Ack.retry(id, "queue_full: the bus is saturated; send it again later").toWire());
                }
            }
            case "subscribe" -> {
                List<String> globs = new ArrayList<>();
                frame.path("topics").forEach(t -> globs.add(t.asText()));
                topics = globs.stream().map(BusEndpoint::glob).toList();
                events.subscribe(this);
                send(Map.of("type", "subscribe.ack", "topics", globs));
            }
            case "ping" -> send(Map.of("type", "pong"));
            default -> send(error("unknown frame type '" + type + "' (membrane.inject, subscribe, ping)"));
        }
    }

    /** An event from the tail: delivered when a topic matches its type. */
    @Override
    public void accept(Map<String, Object> event) {
        String type = (String) event.get("type");
        if (topics.stream().anyMatch(p -> p.matcher(type).matches())) {
            send(Map.of("type", "event", "event", event));
        }
    }

    void send(Map<String, Object> message) {
        Session s = session;
        if (s == null || !s.isOpen()) {
            return;
        }
        if (pending.incrementAndGet() > maxPendingSends) {
            pending.decrementAndGet();
            events.dropped(this);
            s.close(StatusCode.POLICY_VIOLATION, "slow subscriber: more than " + maxPendingSends + " messages unsent", Callback.NOOP);
            return;
        }
        try {
            s.sendText(JSON.writeValueAsString(message), Callback.from(pending::decrementAndGet, failure -> pending.decrementAndGet()));
        } catch (JsonProcessingException e) {
            pending.decrementAndGet();
        }
    }

    @Override
    public void onWebSocketClose(int statusCode, String reason, Callback callback) {
        events.unsubscribe(this);
        callback.succeed();
    }

    private static Map<String, Object> error(String reason) {
        return Map.of("type", "error", "reason", reason);
    }

    /** Topic glob over event types: {@code *} matches any run of characters, everything else literally. */
    static Pattern glob(String g) {
        String[] parts = g.split("\\*", -1);
        StringBuilder re = new StringBuilder();
        for (int i = 0; i < parts.length; i++) {
            if (i > 0) {
                re.append(".*");
            }
            re.append(Pattern.quote(parts[i]));
        }
        return Pattern.compile(re.toString());
    }
}
