package dev.membrane.sdk.json;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class JsonTest {
    private final ObjectMapper jackson = new ObjectMapper();

    @Test
    void writesWhatJacksonReadsBackEqual() throws Exception {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("s", "quote \" backslash \\ newline \n tab \t control \u0001 line-sep \u2028 é 😀");
        m.put("i", 42L);
        m.put("d", 0.93);
        m.put("neg", -1.5e-7);
        m.put("whole", 3.0);
        m.put("b", true);
        m.put("n", null);
        m.put("list", List.of(1L, "two", List.of()));
        m.put("arr", new float[]{0.25f, -1f});
        m.put("nested", Map.of("k", "v"));
        String text = Json.write(m);
        Map<?, ?> back = jackson.readValue(text, Map.class);
        assertEquals(m.get("s"), back.get("s"));
        assertEquals(0.93, back.get("d"));
        assertEquals(-1.5e-7, back.get("neg"));
        assertEquals(3, back.get("whole"));
        assertEquals(List.of(0.25, -1), back.get("arr"));
        assertEquals(Json.read(text), Json.read(jackson.writeValueAsString(back)), "and our reader agrees with Jackson's writer");
    }

    @Test
    void readsAcksAndRefusesMalformedText() {
        Object ack = Json.read(" {\"type\":\"ack\",\"id\":\"a-1\",\"status\":\"accepted\",\"flips\":2,\"engines\":[\"ada\"],\"reason\":null} ");
        assertEquals(Map.of("type", "ack", "id", "a-1", "status", "accepted", "flips", 2L, "engines", List.of("ada")),
                withoutNulls((Map<?, ?>) ack));
        assertEquals("é\n", Json.read("\"\\u00e9\\n\""));
        for (String bad : List.of("{", "{\"a\" 1}", "[1,]", "\"open", "tru", "{} x", "-")) {
            assertThrows(IllegalArgumentException.class, () -> Json.read(bad), bad);
        }
    }

    private static Map<Object, Object> withoutNulls(Map<?, ?> m) {
        Map<Object, Object> out = new LinkedHashMap<>();
        m.forEach((k, v) -> {
            if (v != null) {
                out.put(k, v);
            }
        });
        return out;
    }
}
