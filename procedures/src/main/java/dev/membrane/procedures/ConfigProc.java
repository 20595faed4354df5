package dev.membrane.procedures;

import dev.membrane.config.ConfigKey;
import dev.membrane.config.MembraneConfig;
import dev.membrane.extension.MembraneRuntime;
import org.neo4j.procedure.Context;
import org.neo4j.procedure.Description;
import org.neo4j.procedure.Mode;
import org.neo4j.procedure.Name;
import org.neo4j.procedure.Procedure;

import java.util.Arrays;
import java.util.Map;
import java.util.stream.Stream;

/** {@code membrane.config}: the effective configuration, key by key. */
public final class ConfigProc {
    @Context
    public MembraneRuntime runtime;

    @Procedure(name = "membrane.config", mode = Mode.READ)
    @Description("Lists every Membrane configuration key with its effective value, where it came from (default, "
            + "membrane.conf, system property or call), its default, allowed values and meaning. Pass a map to see a call's overrides applied.")
    public Stream<ConfigRow> config(
            @Name(value = "config", defaultValue = "{}", description = "Overrides to apply, as a procedure call would.")
            Map<String, Object> config) {
        MembraneConfig c = runtime.config(config);
        return Arrays.stream(ConfigKey.values()).map(k -> new ConfigRow(k, c));
    }

    /** One configuration key. */
    public static final class ConfigRow {
        @Description("Key, as used in config maps; in membrane.conf and system properties prefixed with 'membrane.'.")
        public final String key;
        @Description("Effective value.")
        public final Object value;
        @Description("default, membrane.conf, system property or call.")
        public final String origin;
        @Description("Default value.")
        public final Object defaultValue;
        @Description("Allowed values.")
        public final String allowed;
        @Description("What the key tunes.")
        public final String description;

        ConfigRow(ConfigKey k, MembraneConfig c) {
            this.key = k.key();
            this.value = c.value(k);
            this.origin = c.origin(k).label();
            this.defaultValue = k.defaultValue();
            this.allowed = k.allowed() + (k.callOnly() ? " (per call only)" : k.startOnly() ? " (plugin start only)" : "");
            this.description = k.description();
        }
    }
}
