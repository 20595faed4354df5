package dev.membrane.bridge.ws;

import dev.membrane.bridge.events.EventTail;
import dev.membrane.bridge.relay.Relay;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ContextHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * The bus's HTTP side (SPEC §11) on Jetty 12: WebSocket upgrades at {@code /api/ws}, {@code GET /health} as JSON.
 * Binds the given host (loopback by default in the CLI).
 */
public final class BusServer implements AutoCloseable {
    /** WebSocket path of the bus. */
    public static final String WS_PATH = "/api/ws";

    private final Server server;
    private final ServerConnector connector;

    /**
     * @param databaseReachable answers whether Neo4j answers now (for /health)
     * @param maxMessageBytes   largest text frame accepted
     * @param maxPendingSends   per-connection send backlog before a subscriber is dropped
     */
    public BusServer(String host, int port, Relay relay, EventTail events, BooleanSupplier databaseReachable,
                     long maxMessageBytes, int maxPendingSends) {
        server = new Server();
        connector = new ServerConnector(server);
        connector.setHost(host);
        connector.setPort(port);
        server.addConnector(connector);
        ContextHandler context = new ContextHandler("/");
        WebSocketUpgradeHandler ws = WebSocketUpgradeHandler.from(server, context, container -> {
            container.setMaxTextMessageSize(maxMessageBytes);
            container.setIdleTimeout(Duration.ofMinutes(10));
            container.addMapping(WS_PATH, (rq, rs, cb) -> new BusEndpoint(relay, events, maxPendingSends));
        });
        ws.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                if (!"GET".equals(request.getMethod()) || !"/health".equals(Request.getPathInContext(request))) {
                    Response.writeError(request, response, callback, HttpStatus.NOT_FOUND_404);
                    return true;
                }
                boolean db = databaseReachable.getAsBoolean();
                Map<String, Object> health = new LinkedHashMap<>();
                health.put("status", db ? "ok" : "degraded");
                health.put("database", db);
                health.put("subscribers", events.subscribers());
                health.putAll(relay.metrics());
                try {
                    byte[] body = BusEndpoint.JSON.writeValueAsBytes(health);
                    response.setStatus(db ? 200 : 503);
                    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
                    response.write(true, ByteBuffer.wrap(body), callback);
                } catch (Exception e) {
                    Response.writeError(request, response, callback, e);
                }
                return true;
            }
        });
        context.setHandler(ws);
        server.setHandler(context);
    }

    public BusServer start() throws Exception {
        server.start();
        return this;
    }

    /** The port actually bound (useful with port 0). */
    public int port() {
        return connector.getLocalPort();
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            throw new IllegalStateException("stopping the bus: " + e.getMessage(), e);
        }
    }
}
