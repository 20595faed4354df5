package dev.membrane.sdk.transport;

import dev.membrane.protocol.Ack;

import dev.membrane.sdk.json.Json;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One WebSocket connection to the bus over the JDK's {@link java.net.http.WebSocket}: sends a frame of envelopes and
 * waits for their acks. Used by one thread at a time (the flusher, or the {@code emit} command line): the JDK client
 * allows a single outstanding {@code sendText}, so every send is awaited before the next.
 */
public final class BusConnection implements WebSocket.Listener, AutoCloseable {
    private final Map<String, CompletableFuture<Ack>> waiting = new ConcurrentHashMap<>();
    private final StringBuilder partial = new StringBuilder();
    private volatile WebSocket ws;
    private volatile String closedBecause;

    private BusConnection() {
    }

    /**
     * @param token bearer token, or null
     * @throws IOException when the bus does not answer within {@code timeout} or refuses the upgrade
     */
    public static BusConnection open(HttpClient http, URI uri, String token, Duration timeout) throws IOException, InterruptedException {
        BusConnection c = new BusConnection();
        WebSocket.Builder b = http.newWebSocketBuilder().connectTimeout(timeout);
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        try {
            c.ws = b.buildAsync(uri, c).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IOException("cannot connect to " + uri + ": " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new IOException("no answer from " + uri + " within " + timeout.toMillis() + " ms", e);
        }
        return c;
    }

    public boolean isOpen() {
        WebSocket w = ws;
        return closedBecause == null && w != null && !w.isOutputClosed() && !w.isInputClosed();
    }

    /** Why the bus closed the connection (null while open). */
    public String closedBecause() {
        return closedBecause;
    }

    /**
     * Sends {@code frame} (a JSON array of the envelopes whose ids are given, in order) and waits until every id has a
     * final ack or {@code ackTimeout} passed. Returns the final acks received, by id; ids missing from it were not
     * acknowledged and must be kept by the caller.
     *
     * @throws IOException when the frame could not be sent (the connection is then unusable)
     */
    public Map<String, Ack> send(List<String> ids, String frame, Duration ackTimeout) throws IOException, InterruptedException {
        Map<String, CompletableFuture<Ack>> mine = new LinkedHashMap<>();
        for (String id : ids) {
            CompletableFuture<Ack> f = new CompletableFuture<>();
            mine.put(id, f);
            waiting.put(id, f);
        }
        long deadline = System.nanoTime() + ackTimeout.toNanos();
        try {
            // lost() sets closedBecause before it fails the waiting futures: a connection that died before ours were
            // registered is seen here, instead of waiting a whole ackTimeout for acks that cannot come (measured:
            // the bridge SIGKILLed mid-stream cost each client 10 s)
            if (closedBecause != null) {
                throw new IOException(closedBecause);
            }
            try {
                ws.sendText(frame, true).get(ackTimeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException | TimeoutException e) {
                closedBecause = "send failed: " + (e instanceof ExecutionException ? e.getCause() : "timeout");
                throw new IOException(closedBecause, e);
            }
            Map<String, Ack> acks = new LinkedHashMap<>();
            for (Map.Entry<String, CompletableFuture<Ack>> e : mine.entrySet()) {
                long left = deadline - System.nanoTime();
                try {
                    acks.put(e.getKey(), e.getValue().get(Math.max(0, left), TimeUnit.NANOSECONDS));
                } catch (TimeoutException | ExecutionException ex) {
                    // No final ack (timeout or connection lost): the caller keeps this envelope.
                }
            }
            return acks;
        } finally {
            mine.keySet().forEach(waiting::remove);
        }
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        webSocket.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            String text = partial.toString();
            partial.setLength(0);
            onMessage(text);
        }
        webSocket.request(1);
        return null;
    }

    private void onMessage(String text) {
        Object parsed;
        try {
            parsed = Json.read(text);
        } catch (IllegalArgumentException e) {
            return; // not ours to judge: the bus speaks JSON; ignore a frame we cannot read
        }
        if (parsed instanceof Map<?, ?> m) {
            // any ack of the closed set answers the send: final ones end the envelope, retry sends it back to the queue
            Ack.parse(m).ifPresent(ack -> {
                CompletableFuture<Ack> f = ack.id() == null ? null : waiting.get(ack.id());
                if (f != null) {
                    f.complete(ack);
                }
            });
        }
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        lost("closed by the bus: " + statusCode + " " + reason);
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        lost("connection error: " + error);
    }

    private void lost(String why) {
        closedBecause = why;
        IOException e = new IOException(why);
        waiting.values().forEach(f -> f.completeExceptionally(e));
    }

    @Override
    public void close() {
        WebSocket w = ws;
        if (w != null && !w.isOutputClosed()) {
            try {
                w.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(1, TimeUnit.SECONDS);
            } catch (Exception e) {
                // Closing anyway.
            }
        }
        if (w != null) {
            w.abort();
        }
    }
}
