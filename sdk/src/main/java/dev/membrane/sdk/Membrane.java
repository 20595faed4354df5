package dev.membrane.sdk;

import dev.membrane.protocol.ClientSetting;

import java.util.Map;

/**
 * Static helpers over one process-wide {@link MembraneEmitter}, for code that should not carry an emitter around
 * (the seed guide's {@code emit_script_error(...)} style). The shared emitter is built on first use with source
 * {@code service:<property membrane.source or "app">}, the bus at system property {@code membrane.bus.url} or
 * environment {@code MEMBRANE_BUS_URL} (default {@code ws://127.0.0.1:8000/api/ws}) and token
 * {@code membrane.bus.token} / {@code MEMBRANE_BUS_TOKEN}; or installed explicitly with {@link #install}.
 */
public final class Membrane {
    private static volatile MembraneEmitter shared;

    private Membrane() {
    }

    /** Uses {@code emitter} for the static helpers from now on (closing is the caller's business). */
    public static void install(MembraneEmitter emitter) {
        shared = emitter;
    }

    /** The shared emitter, built from system properties / environment on first use. */
    public static MembraneEmitter emitter() {
        MembraneEmitter e = shared;
        if (e == null) {
            synchronized (Membrane.class) {
                if (shared == null) {
                    MembraneEmitter.Builder b = MembraneEmitter.builder("service:" + setting(ClientSetting.SOURCE, "app"))
                            .busUri(setting(ClientSetting.BUS_URL, EmitterOptions.DEFAULT_BUS_URI.toString()));
                    String token = setting(ClientSetting.BUS_TOKEN, null);
                    if (token != null) {
                        b.token(token);
                    }
                    shared = b.build();
                }
                e = shared;
            }
        }
        return e;
    }

    private static String setting(ClientSetting s, String fallback) {
        return setting(s.property(), s.env(), fallback);
    }

    private static String setting(String property, String env, String fallback) {
        String v = System.getProperty(property);
        if (v == null) {
            v = System.getenv(env);
        }
        return v == null || v.isBlank() ? fallback : v;
    }

    public static String emitScriptError(String source, String message, String scope, Throwable throwable, Map<String, ?> metadata) {
        return emitter().emitScriptError(source, message, scope, throwable, metadata);
    }

    public static String emitMetric(String source, String name, double value, String scope, Map<String, String> tags) {
        return emitter().emitMetric(source, name, value, scope, tags);
    }

    public static String emitUiAction(String type, String description, String scope, String citizenId, Map<String, ?> metadata) {
        return emitter().emitUiAction(type, description, scope, citizenId, metadata);
    }

    public static String emitToolResult(String toolId, String requestId, boolean success, String result, String scope,
                                        long executionTimeMs, Map<String, ?> provenance) {
        return emitter().emitToolResult(toolId, requestId, success, result, scope, executionTimeMs, provenance);
    }
}
