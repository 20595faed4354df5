package dev.membrane.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PluginSettingsTest {

    @Test
    void readsMembraneConfThenSystemPropertiesWin(@TempDir Path conf) throws IOException {
        Files.writeString(conf.resolve("membrane.conf"), "# tuned for a small graph\nmembrane.kMax=32\nmembrane.policy = uniform_topk\n");
        Properties jvm = new Properties();
        jvm.setProperty("membrane.kMax", "16");
        jvm.setProperty("java.version", "17");
        MembraneConfig c = PluginSettings.load(conf, jvm);
        assertEquals(16, c.intValue(ConfigKey.K_MAX));
        assertEquals(MembraneConfig.Origin.SYSTEM_PROPERTY, c.origin(ConfigKey.K_MAX));
        assertEquals("uniform_topk", c.stringValue(ConfigKey.POLICY));
        assertEquals(MembraneConfig.Origin.MEMBRANE_CONF, c.origin(ConfigKey.POLICY));
    }

    @Test
    void noFileMeansDefaults(@TempDir Path conf) {
        MembraneConfig c = PluginSettings.load(conf, new Properties());
        assertEquals(64, c.intValue(ConfigKey.K_MAX));
    }

    @Test
    void aTypoInTheFileStopsStartWithTheClosestKey(@TempDir Path conf) throws IOException {
        Files.writeString(conf.resolve("membrane.conf"), "membrane.budgetgain=2\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PluginSettings.load(conf, new Properties()));
        assertTrue(e.getMessage().contains("Unknown setting 'membrane.budgetgain'"), e.getMessage());
        assertTrue(e.getMessage().contains("did you mean 'membrane.budgetGain'"), e.getMessage());
    }

    @Test
    void perCallKeysCannotBeSetAtStart(@TempDir Path conf) throws IOException {
        Files.writeString(conf.resolve("membrane.conf"), "membrane.clockMs=5\n");
        assertThrows(IllegalArgumentException.class, () -> PluginSettings.load(conf, new Properties()));
    }

    @Test
    void anExplicitFileThatDoesNotExistIsAnError(@TempDir Path conf) {
        Properties jvm = new Properties();
        jvm.setProperty("membrane.conf", conf.resolve("missing.conf").toString());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PluginSettings.load(conf, jvm));
        assertTrue(e.getMessage().contains("missing.conf"), e.getMessage());
    }

    @Test
    void environmentVariablesSetKeysAsApocsDoBetweenTheFileAndSystemProperties(@TempDir Path conf) throws IOException {
        Files.writeString(conf.resolve("membrane.conf"), "membrane.kMax=32\nmembrane.budgetGain=1.2\n");
        Properties jvm = new Properties();
        jvm.setProperty("membrane.kMax", "16");
        jvm.setProperty("membrane.bus.url", "ws://elsewhere:8000/api/ws"); // the SDK's, in the same JVM: not ours
        java.util.Map<String, String> env = java.util.Map.of("MEMBRANE_BUDGET_GAIN", "1.1", "MEMBRANE_K_MAX", "8",
                "MEMBRANE_EXACT_SCAN_MAX_NODES", "5000", "MEMBRANE_BUS_TOKEN", "client-side", "PATH", "/usr/bin");
        MembraneConfig c = PluginSettings.load(conf, jvm, env);
        assertEquals(1.1, c.doubleValue(ConfigKey.BUDGET_GAIN), 1e-12);
        assertEquals(MembraneConfig.Origin.ENVIRONMENT, c.origin(ConfigKey.BUDGET_GAIN));
        assertEquals(16, c.intValue(ConfigKey.K_MAX), "system properties win over the environment");
        // (membrane.conf's two keys were both overridden, so the file no longer shows in the sources)
        assertEquals(5000, c.intValue(ConfigKey.EXACT_SCAN_MAX_NODES));
        assertEquals("defaults and environment variable (2 keys), system property (1 key)", c.sources());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PluginSettings.load(conf, new Properties(), java.util.Map.of("MEMBRANE_BUDGET_GAINN", "1")));
        assertTrue(e.getMessage().contains("did you mean 'membrane.budgetGain'"), e.getMessage());
        assertEquals("exactScanMaxNodes", PluginSettings.camelCase("EXACT_SCAN_MAX_NODES"));
    }
}
