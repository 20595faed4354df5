package dev.membrane.config;

import dev.membrane.protocol.ClientSetting;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.Properties;

/**
 * Reads the plugin-start settings, {@code membrane.<key>=value}, from two places (later wins):
 * <ol>
 *   <li>{@code membrane.conf} in Neo4j's conf directory (or the file named by the system property
 *   {@code membrane.conf}) — Neo4j 5 rejects unknown namespaces in neo4j.conf, so, like APOC's apoc.conf, the
 *   plugin keeps its own file;</li>
 *   <li>JVM system properties {@code -Dmembrane.<key>=value}, e.g. through {@code server.jvm.additional} in
 *   neo4j.conf.</li>
 * </ol>
 * Unknown {@code membrane.*} keys are errors naming the key and the file, so a typo never goes unnoticed.
 */
public final class PluginSettings {
    /** File name looked up in Neo4j's conf directory. */
    public static final String FILE_NAME = "membrane.conf";
    /** System property naming another settings file. */
    public static final String FILE_PROPERTY = "membrane.conf";

    private PluginSettings() {
    }

    /** Prefix of settings given as environment variables (Docker), as APOC's {@code APOC_*}: {@code MEMBRANE_BUDGET_GAIN}. */
    public static final String ENV_PREFIX = "MEMBRANE_";

    /** The effective start-up configuration, without environment variables (tests). */
    public static MembraneConfig load(Path confDir, Properties system) {
        return load(confDir, system, Map.of());
    }

    /**
     * The effective start-up configuration for a DBMS whose conf directory is {@code confDir}; later wins:
     * defaults, membrane.conf, environment variables {@code MEMBRANE_<KEY_IN_UPPER_SNAKE_CASE>}, system properties.
     * The client's own {@link ClientSetting}s are ignored; any other unknown name stops the server, naming the
     * closest key.
     */
    public static MembraneConfig load(Path confDir, Properties system, Map<String, String> env) {
        String explicit = system.getProperty(FILE_PROPERTY);
        Path file = explicit != null ? Path.of(explicit) : confDir.resolve(FILE_NAME);
        MembraneConfig config = MembraneConfig.defaults();
        if (Files.isRegularFile(file)) {
            config = config.withSettings(read(file), MembraneConfig.Origin.MEMBRANE_CONF, file.toString());
        } else if (explicit != null) {
            throw new IllegalArgumentException("-D" + FILE_PROPERTY + " names " + file + ", which is not a readable file");
        }
        Properties fromEnv = new Properties();
        env.forEach((name, value) -> {
            if (name.startsWith(ENV_PREFIX) && !ClientSetting.isClientEnv(name)) {
                fromEnv.setProperty(ConfigKey.SETTING_PREFIX + camelCase(name.substring(ENV_PREFIX.length())), value);
            }
        });
        config = config.withSettings(keys(fromEnv, "environment variables (" + ENV_PREFIX + "*)"), MembraneConfig.Origin.ENVIRONMENT,
                "environment variable");
        Properties fromJvm = new Properties();
        system.stringPropertyNames().stream()
                .filter(n -> n.startsWith(ConfigKey.SETTING_PREFIX) && !n.equals(FILE_PROPERTY) && !ClientSetting.isClientProperty(n))
                .forEach(n -> fromJvm.setProperty(n, system.getProperty(n)));
        return config.withSettings(keys(fromJvm, "JVM system properties"), MembraneConfig.Origin.SYSTEM_PROPERTY,
                "system property");
    }

    static Map<ConfigKey, String> read(Path file) {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (IOException e) {
            throw new IllegalArgumentException("Cannot read " + file + ": " + e.getMessage(), e);
        }
        return keys(p, file.toString());
    }

    /** {@code BUDGET_GAIN} → {@code budgetGain}, {@code EXACT_SCAN_MAX_NODES} → {@code exactScanMaxNodes}. */
    static String camelCase(String upperSnake) {
        StringBuilder out = new StringBuilder();
        boolean upper = false;
        for (char c : upperSnake.toLowerCase(java.util.Locale.ROOT).toCharArray()) {
            if (c == '_') {
                upper = out.length() > 0;
            } else {
                out.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return out.toString();
    }

    private static Map<ConfigKey, String> keys(Properties p, String where) {
        Map<ConfigKey, String> out = new EnumMap<>(ConfigKey.class);
        for (String name : p.stringPropertyNames()) {
            if (!name.startsWith(ConfigKey.SETTING_PREFIX)) {
                throw new IllegalArgumentException("Unknown setting '" + name + "' in " + where
                        + ": Membrane settings are named 'membrane.<key>'");
            }
            String key = name.substring(ConfigKey.SETTING_PREFIX.length());
            ConfigKey k = ConfigKey.fromKey(key).filter(c -> !c.callOnly()).orElseThrow(() -> new IllegalArgumentException(
                    "Unknown setting '" + name + "' in " + where + " (did you mean 'membrane." + ConfigKey.closest(key) + "'?)"));
            out.put(k, p.getProperty(name).trim());
        }
        return out;
    }
}
