package dev.membrane.bridge.ws;

import dev.membrane.protocol.Ack;
import dev.membrane.protocol.EnvelopeException;
import dev.membrane.protocol.Storable;

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

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
    private static final Logger LOG = LoggerFactory.getLogger(BusEndpoint.class);
    static final ObjectMapper JSON = new ObjectMapper();
    /** SPEC §11: a subscription topic is a glob over event type characters. */
    private static final Pattern TOPIC = Pattern.compile("[a-z0-9._*-]{1,128}");

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
     * @param perSecond      envelopes per second this connection may send (a frame counts its envelopes)
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

    /** The bus speaks JSON text; a binary frame is answered with an error that says so (the connection stays open). */
    @Override
    public void onWebSocketBinary(java.nio.ByteBuffer payload, Callback callback) {
        callback.succeed();
        if (!overRate(1)) {
            send(error("binary frames are not accepted: send each frame as JSON text (" + payload.remaining() + " bytes ignored)"));
        }
    }

    @Override
    public void onWebSocketText(String text) {
        JsonNode frame;
        try {
            frame = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            if (overRate(1)) {
                return;
            }
            send(error("invalid JSON: " + e.getOriginalMessage()));
            return;
        }
        if (overRate(frame != null && frame.isArray() ? Math.max(1, frame.size()) : 1)) {
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

    /** SPEC §11: the rate limit counts envelopes, not frames; over it, the connection is closed with the reason. */
    private boolean overRate(int envelopes) {
        if (rate.take(envelopes, System.nanoTime())) {
            return false;
        }
        session.close(StatusCode.POLICY_VIOLATION, "rate limit exceeded: at most " + (long) perSecond
                + " envelopes per second (this frame: " + envelopes + ")", Callback.NOOP);
        return true;
    }

    @SuppressWarnings("unchecked")
    private void handle(JsonNode frame) {
        String type = frame.path("type").asText("");
        switch (type) {
            case EnvelopeField.INJECT_TYPE -> {
                Map<String, Object> envelope = JSON.convertValue(frame, Map.class);
                String id = envelope.get("id") == null ? null : String.valueOf(envelope.get("id"));
                try {
                    Storable.check(envelope); // before any transaction: the driver would fail the whole batch on it
                } catch (EnvelopeException unstorable) {
                    send(Ack.rejected(id, unstorable.getMessage()).toWire());
                    return;
                }
                if (!Access.sourceAllowed(String.valueOf(envelope.get("source")), allowedSources)) {
                    send(Ack.rejected(id, "forbidden_source: this connection's token may inject only sources starting with "
                            + allowedSources).toWire());
                    return;
                }
                if (!relay.submit(this, envelope, ack -> send(ack.toWire()))) {
                    send(Ack.retry(id, "queue_full: the bus is saturated; send it again later").toWire());
                }
            }
            case "subscribe" -> {
                JsonNode given = frame.get("topics");
                if (given == null || !given.isArray() || given.isEmpty()) {
                    send(error("subscribe: topics must be a non-empty array of globs over [a-z0-9._*-], e.g. "
                            + "{\"type\":\"subscribe\",\"topics\":[\"stimulus.*\"]}; got " + (given == null ? "nothing" : given.toString())));
                    return;
                }
                List<String> globs = new ArrayList<>();
                for (int i = 0; i < given.size(); i++) {
                    JsonNode t = given.get(i);
                    if (!t.isTextual() || !TOPIC.matcher(t.asText()).matches()) {
                        send(error("subscribe: topics[" + i + "] must be a non-empty glob over [a-z0-9._*-], got " + t));
                        return;
                    }
                    globs.add(t.asText());
                }
                topics = globs.stream().map(BusEndpoint::glob).toList();
                events.subscribe(this);
                send(Map.of("type", "subscribe.ack", "topics", globs));
            }
            case "ping" -> send(Map.of("type", "pong"));
            default -> {
                if (frame.hasNonNull("id")) {
                    // it carries an id, so it is meant as an envelope: answer it like any envelope, naming the field
                    send(Ack.rejected(frame.path("id").asText(), "invalid_field:type: must be '" + EnvelopeField.INJECT_TYPE
                            + "', got " + frame.path("type")).toWire());
                } else {
                    send(error("unknown frame type '" + type + "' (membrane.inject, subscribe, ping)"));
                }
            }
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

    /**
     * A connection that ends without a close frame (a client killed, a closed channel) is ordinary for a bus: logged
     * at debug, not as Jetty's "Unhandled Error" warning; anything else is a warning naming the peer.
     */
    @Override
    public void onWebSocketError(Throwable cause) {
        events.unsubscribe(this);
        if (cause instanceof java.nio.channels.ClosedChannelException || cause instanceof java.io.EOFException
                || cause instanceof org.eclipse.jetty.io.EofException) {
            LOG.debug("connection {} ended without a close frame: {}", peer(), cause.toString());
        } else {
            LOG.warn("connection {} failed: {}", peer(), cause.toString());
        }
    }

    private String peer() {
        Session s = session;
        return s == null ? "(not open)" : String.valueOf(s.getRemoteSocketAddress());
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
