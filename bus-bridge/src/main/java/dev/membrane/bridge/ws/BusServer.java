package dev.membrane.bridge.ws;

import dev.membrane.bridge.dashboard.Dashboard;
import dev.membrane.bridge.dashboard.DashboardHandler;
import dev.membrane.bridge.events.EventTail;
import dev.membrane.bridge.relay.Relay;
import dev.membrane.bridge.security.Access;
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
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The bus's HTTP side (SPEC §11) on Jetty 12: WebSocket upgrades at {@code /api/ws} (Origin allow-list and bearer
 * tokens checked at the upgrade), {@code GET /health} as JSON, {@code GET /metrics} in Prometheus text format, the live
 * page at {@code GET /} with its read-only API under {@code /api/} ({@link DashboardHandler}), and a heartbeat ping to
 * every connection every 20 s. Binds the given host (loopback by default in the CLI).
 */
public final class BusServer implements AutoCloseable {
    /** WebSocket path of the bus. */
    public static final String WS_PATH = "/api/ws";

    private final Server server;
    private final ServerConnector connector;

    /**
     * @param databaseProblem why Neo4j cannot be used now, or null when it answers (for /health)
     * @param maxMessageBytes   largest text frame accepted
     * @param maxPendingSends   per-connection send backlog before a subscriber is dropped
     */
    public BusServer(String host, int port, Relay relay, EventTail events, Supplier<String> databaseProblem,
                     long maxMessageBytes, int maxPendingSends) {
        this(host, port, relay, events, databaseProblem, maxMessageBytes, maxPendingSends, Access.OPEN, DEFAULT_RATE, null);
    }

    /** Envelopes per second per connection when not configured (a frame counts its envelopes). */
    public static final double DEFAULT_RATE = 10_000;
    /** A connection silent this long is closed (heartbeats keep live ones open). */
    static final Duration IDLE_TIMEOUT = Duration.ofMinutes(10);
    /** SPEC §11: heartbeat ping to every connection this often. */
    static final long HEARTBEAT_SECONDS = 20;

    private final Set<BusEndpoint> endpoints = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService heartbeat = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "membrane-heartbeat");
        t.setDaemon(true);
        return t;
    });

    /**
     * @param access    tokens → source prefixes, and the Origin allow-list
     * @param perSecond envelopes per second one connection may send before it is closed
     * @param dashboard the live page's API at {@code GET /} and {@code /api/*}, or null for a bus without a page
     */
    public BusServer(String host, int port, Relay relay, EventTail events, Supplier<String> databaseProblem,
                     long maxMessageBytes, int maxPendingSends, Access access, double perSecond, Dashboard dashboard) {
        server = new Server();
        connector = new ServerConnector(server);
        connector.setHost(host);
        connector.setPort(port);
        server.addConnector(connector);
        ContextHandler context = new ContextHandler("/");
        WebSocketUpgradeHandler ws = WebSocketUpgradeHandler.from(server, context, container -> {
            container.setMaxTextMessageSize(maxMessageBytes);
            container.setIdleTimeout(IDLE_TIMEOUT);
            container.addMapping(WS_PATH, (rq, rs, cb) -> {
                String origin = rq.getHeaders().get(HttpHeader.ORIGIN);
                if (!access.originAllowed(origin) && !sameOrigin(origin, rq.getHeaders().get(HttpHeader.HOST))) {
                    Response.writeError(rq, rs, cb, HttpStatus.FORBIDDEN_403, "origin not allowed");
                    return null;
                }
                String auth = rq.getHeaders().get(HttpHeader.AUTHORIZATION);
                String token = auth != null && auth.startsWith("Bearer ") ? auth.substring(7).trim() : queryToken(rq);
                java.util.Optional<java.util.List<String>> allowed = access.admit(token);
                if (allowed.isEmpty()) {
                    Response.writeError(rq, rs, cb, HttpStatus.UNAUTHORIZED_401, "a valid bearer token is required");
                    return null;
                }
                BusEndpoint e = new BusEndpoint(relay, events, maxPendingSends, allowed.get(), perSecond);
                endpoints.add(e);
                return e;
            });
        });
        Handler.Abstract bus = new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                String path = Request.getPathInContext(request);
                if ("GET".equals(request.getMethod()) && "/metrics".equals(path)) {
                    response.setStatus(200);
                    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; version=0.0.4");
                    response.write(true, ByteBuffer.wrap(Metrics.prometheus(relay, events, dashboard)
                            .getBytes(java.nio.charset.StandardCharsets.UTF_8)), callback);
                    return true;
                }
                if (!"GET".equals(request.getMethod()) || !"/health".equals(path)) {
                    Response.writeError(request, response, callback, HttpStatus.NOT_FOUND_404);
                    return true;
                }
                // degraded: Neo4j cannot take transactions (503: envelopes are only spooled), or the spool cannot
                // be written (200: envelopes are still integrated, but an outage would be answered retry)
                String problem = databaseProblem.get();
                String spoolProblem = relay.spoolProblem();
                boolean db = problem == null;
                java.util.List<String> reasons = new java.util.ArrayList<>();
                if (!db) {
                    reasons.add("database " + problem);
                }
                if (spoolProblem != null) {
                    reasons.add(spoolProblem);
                }
                Map<String, Object> health = new LinkedHashMap<>();
                health.put("status", reasons.isEmpty() ? "ok" : "degraded");
                health.put("database", db);
                health.put("spool", spoolProblem == null);
                if (!reasons.isEmpty()) {
                    health.put("reason", String.join("; ", reasons));
                }
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
        };
        ws.setHandler(dashboard == null ? bus : new Handler.Sequence(
                new DashboardHandler(dashboard, access, BusEndpoint.JSON, WS_PATH), bus));
        context.setHandler(ws);
        server.setHandler(context);
    }

    public BusServer start() throws Exception {
        server.start();
        heartbeat.scheduleAtFixedRate(this::ping, HEARTBEAT_SECONDS, HEARTBEAT_SECONDS, TimeUnit.SECONDS);
        return this;
    }

    private void ping() {
        endpoints.removeIf(e -> e.session() != null && !e.session().isOpen());
        for (BusEndpoint e : endpoints) {
            if (e.session() != null && e.session().isOpen()) {
                e.session().sendPing(ByteBuffer.allocate(0), org.eclipse.jetty.websocket.api.Callback.NOOP);
            }
        }
    }

    /**
     * The bus's own page connecting back to it (Origin is this server's scheme://host:port): always allowed, so the
     * Origin allow-list guards against other sites without having to list the bus itself.
     */
    static boolean sameOrigin(String origin, String host) {
        return origin != null && host != null && (origin.equals("http://" + host) || origin.equals("https://" + host));
    }

    private static String queryToken(Request rq) {
        String q = rq.getHttpURI().getQuery();
        if (q == null) {
            return null;
        }
        for (String kv : q.split("&")) {
            if (kv.startsWith("token=")) {
                return java.net.URLDecoder.decode(kv.substring(6), java.nio.charset.StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    /** The port actually bound (useful with port 0). */
    public int port() {
        return connector.getLocalPort();
    }

    @Override
    public void close() {
        heartbeat.shutdownNow();
        try {
            server.stop();
        } catch (Exception e) {
            throw new IllegalStateException("stopping the bus: " + e.getMessage(), e);
        }
    }
}
