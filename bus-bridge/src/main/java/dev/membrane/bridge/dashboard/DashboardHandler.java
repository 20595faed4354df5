package dev.membrane.bridge.dashboard;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.membrane.bridge.security.Access;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.neo4j.driver.exceptions.Neo4jException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * HTTP routes of the live page: the page itself ({@code GET /}, {@code /assets/*}, built from {@code bus-bridge/dashboard}
 * and served from the jar: no CDN, works offline) and its read-only JSON API under {@code /api/}. With bearer tokens
 * configured the API asks for one, exactly as the WebSocket does ({@code Authorization: Bearer …} or {@code ?token=});
 * the page itself holds no data and is served to anyone. Anything else falls through to the next handler.
 */
public final class DashboardHandler extends Handler.Abstract {
    /** Classpath folder of the built page. */
    static final String ASSETS = "dashboard/";
    private static final Pattern ASSET_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,100}");
    /** The envelope id rule of SPEC §3: a stimulus id asked for must be one. */
    private static final Pattern STIMULUS_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
    private static final Map<String, String> TYPES = Map.of("html", "text/html; charset=utf-8", "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8", "svg", "image/svg+xml", "png", "image/png", "json", "application/json");

    private final Dashboard dashboard;
    private final Access access;
    private final ObjectMapper json;
    private final String wsPath;

    public DashboardHandler(Dashboard dashboard, Access access, ObjectMapper json, String wsPath) {
        this.dashboard = dashboard;
        this.access = access;
        this.json = json;
        this.wsPath = wsPath;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        if (!"GET".equals(request.getMethod())) {
            return false;
        }
        String path = Request.getPathInContext(request);
        if (path.equals("/") || path.equals("/index.html")) {
            return asset(response, callback, "index.html");
        }
        if (path.startsWith("/assets/")) {
            String name = path.substring("/assets/".length());
            return ASSET_NAME.matcher(name).matches() && !name.contains("..") && asset(response, callback, "assets/" + name);
        }
        if (!path.startsWith("/api/")) {
            return false;
        }
        if (path.equals("/api/config")) {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("tokenRequired", !access.tokens().isEmpty());
            c.put("wsPath", wsPath);
            return json(response, callback, 200, c);
        }
        if (access.admit(token(request)).isEmpty()) {
            return json(response, callback, HttpStatus.UNAUTHORIZED_401, Map.of("error", "a valid bearer token is required"));
        }
        try {
            switch (path) {
                case "/api/state" -> {
                    String nodes = Request.extractQueryParameters(request, StandardCharsets.UTF_8).getValue("nodes");
                    return json(response, callback, 200, dashboard.state(!"false".equals(nodes)));
                }
                case "/api/metrics" -> {
                    return json(response, callback, 200, Map.of("engines", dashboard.metrics()));
                }
                case "/api/stimulus" -> {
                    String id = Request.extractQueryParameters(request, StandardCharsets.UTF_8).getValue("id");
                    if (id == null || !STIMULUS_ID.matcher(id).matches()) {
                        return json(response, callback, 400, Map.of("error",
                                "id: a stimulus id of 1-128 characters [A-Za-z0-9._:-] is required, got " + (id == null ? "none" : "'" + id + "'")));
                    }
                    Map<String, Object> s = dashboard.stimulus(id);
                    return s == null ? json(response, callback, 404, Map.of("error", "id: no stimulus '" + id + "' is stored"))
                            : json(response, callback, 200, s);
                }
                default -> {
                    return json(response, callback, 404, Map.of("error", "no such API: " + path + " (state, metrics, stimulus, config)"));
                }
            }
        } catch (Neo4jException e) {
            return json(response, callback, 503, Map.of("error", "Neo4j cannot answer now: " + e.getMessage()));
        }
    }

    private static String token(Request rq) {
        String auth = rq.getHeaders().get(HttpHeader.AUTHORIZATION);
        if (auth != null && auth.startsWith("Bearer ")) {
            return auth.substring(7).trim();
        }
        return Request.extractQueryParameters(rq, StandardCharsets.UTF_8).getValue("token");
    }

    private boolean json(Response response, Callback callback, int status, Object body) throws IOException {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        response.write(true, ByteBuffer.wrap(json.writeValueAsBytes(body)), callback);
        return true;
    }

    private static boolean asset(Response response, Callback callback, String name) throws IOException {
        try (InputStream in = DashboardHandler.class.getClassLoader().getResourceAsStream(ASSETS + name)) {
            if (in == null) {
                return false;
            }
            byte[] body = in.readAllBytes();
            String ext = name.substring(name.lastIndexOf('.') + 1);
            response.setStatus(200);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, TYPES.getOrDefault(ext, "application/octet-stream"));
            response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-cache");
            response.write(true, ByteBuffer.wrap(body), callback);
            return true;
        }
    }
}
