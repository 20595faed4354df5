package dev.membrane.protocol;

import java.util.Arrays;

/**
 * The client's own settings (SDK shared emitter), as a system property and an environment variable. Spelled here once
 * because they share the {@code membrane.} / {@code MEMBRANE_} prefix with the plugin's settings: the plugin ignores
 * exactly these when it meets them in its JVM or environment (embedded mode, a host that also runs clients).
 */
public enum ClientSetting {
    SOURCE("membrane.source", "MEMBRANE_SOURCE"),
    BUS_URL("membrane.bus.url", "MEMBRANE_BUS_URL"),
    BUS_TOKEN("membrane.bus.token", "MEMBRANE_BUS_TOKEN");

    private final String property;
    private final String env;

    ClientSetting(String property, String env) {
        this.property = property;
        this.env = env;
    }

    public String property() {
        return property;
    }

    public String env() {
        return env;
    }

    public static boolean isClientProperty(String name) {
        return Arrays.stream(values()).anyMatch(s -> s.property.equals(name));
    }

    public static boolean isClientEnv(String name) {
        return Arrays.stream(values()).anyMatch(s -> s.env.equals(name));
    }
}
