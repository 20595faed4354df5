package dev.membrane.config;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MembraneConfigTest {

    @Test
    void defaultsAreTheSpecifiedOnes() {
        MembraneConfig c = MembraneConfig.defaults();
        assertEquals(200.0, c.doubleValue(ConfigKey.BUDGET_MAX));
        assertEquals(1.5, c.doubleValue(ConfigKey.BUDGET_GAIN));
        assertEquals(64, c.intValue(ConfigKey.K_MAX));
        assertEquals("gap_capped", c.stringValue(ConfigKey.POLICY));
        assertEquals(MembraneConfig.Origin.DEFAULT, c.origin(ConfigKey.K_MAX));
    }

    @Test
    void unknownKeyIsRejectedWithTheClosestKnownOne() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MembraneConfig.defaults().withOverrides(Map.of("budgetmax", 5)));
        assertEquals("Unknown membrane config key 'budgetmax' (did you mean 'budgetMax'?)", e.getMessage());
    }

    @Test
    void outOfRangeNonFiniteAndWrongTypeValuesNameTheKey() {
        for (Object bad : new Object[]{-1.0, Double.NaN, Double.POSITIVE_INFINITY, "lots", true}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> MembraneConfig.defaults().withOverrides(Map.of("budgetMax", bad)));
            assertTrue(e.getMessage().startsWith("Invalid membrane config value for 'budgetMax': must be a number in [0.0, 1.0E9]"),
                    e.getMessage());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MembraneConfig.defaults().withOverrides(Map.of("kMax", 2.5)));
        assertTrue(e.getMessage().contains("'kMax': must be an integer"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> MembraneConfig.defaults().withOverrides(Map.of("policy", "random")));
        assertTrue(e.getMessage().contains("one of gap_capped, dual_channel, uniform_topk"), e.getMessage());
    }

    @Test
    void crossKeyRulesHold() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MembraneConfig.defaults().withOverrides(Map.of("kMin", 10, "kMax", 5)));
        assertTrue(e.getMessage().contains("'kMin' (10) must not exceed 'kMax' (5)"), e.getMessage());
    }

    @Test
    void callOverridesWinOverSettingsWhichWinOverDefaults() {
        MembraneConfig conf = MembraneConfig.defaults().withSettings(Map.of(ConfigKey.K_MAX, "32", ConfigKey.POLICY, "uniform_topk"),
                MembraneConfig.Origin.MEMBRANE_CONF, "membrane.conf");
        MembraneConfig call = conf.withOverrides(Map.of("kMax", 8L));
        assertEquals(32, conf.intValue(ConfigKey.K_MAX));
        assertEquals(MembraneConfig.Origin.MEMBRANE_CONF, conf.origin(ConfigKey.K_MAX));
        assertEquals(8, call.intValue(ConfigKey.K_MAX));
        assertEquals(MembraneConfig.Origin.CALL, call.origin(ConfigKey.K_MAX));
        assertEquals("uniform_topk", call.stringValue(ConfigKey.POLICY));
    }

    @Test
    void badSettingValueNamesTheSettingAndItsFile() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MembraneConfig.defaults().withSettings(Map.of(ConfigKey.BUDGET_GAIN, "fast"),
                        MembraneConfig.Origin.MEMBRANE_CONF, "/etc/neo4j/membrane.conf"));
        assertTrue(e.getMessage().startsWith("Setting 'membrane.budgetGain' (/etc/neo4j/membrane.conf): "), e.getMessage());
    }

    @Test
    void fixedClockOverridesTheWallClock() {
        MembraneConfig c = MembraneConfig.defaults().withOverrides(Map.of("clockMs", 1234L));
        assertEquals(1234L, c.now(java.time.Clock.systemUTC()));
    }
}
