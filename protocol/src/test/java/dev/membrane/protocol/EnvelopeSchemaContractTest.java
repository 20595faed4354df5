package dev.membrane.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The shipped JSON Schema and {@link EnvelopeParser} describe the same envelope: same fields, same required ones,
 * same enums, same feature ranges, and the schema's patterns accept and refuse what the parser does.
 */
class EnvelopeSchemaContractTest {
    private final JsonNode schema = read();

    private static JsonNode read() {
        try {
            return new ObjectMapper().readTree(EnvelopeSchema.json());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Set<String> names(JsonNode object) {
        Set<String> out = new TreeSet<>();
        object.fieldNames().forEachRemaining(out::add);
        return out;
    }

    private static Set<String> texts(JsonNode array) {
        Set<String> out = new TreeSet<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    @Test
    void sameFieldsAndRequiredOnes() {
        assertEquals(new TreeSet<>(Arrays.stream(EnvelopeField.values()).map(EnvelopeField::wire).toList()),
                names(schema.get("properties")));
        assertEquals(false, schema.get("additionalProperties").asBoolean(), "unknown fields are refused by both");
        Set<String> requiredByParser = new TreeSet<>();
        for (EnvelopeField f : EnvelopeField.values()) {
            Map<String, Object> m = valid();
            m.remove(f.wire());
            try {
                new EnvelopeParser(EnvelopeLimits.DEFAULTS).parse(m, EnvelopeParser.Mode.ENVELOPE, 0, () -> "g");
            } catch (EnvelopeException e) {
                requiredByParser.add(f.wire());
            }
        }
        assertEquals(requiredByParser, texts(schema.get("required")));
    }

    @Test
    void sameEnumsAndFeatureRanges() {
        JsonNode p = schema.get("properties");
        assertEquals(new TreeSet<>(Arrays.stream(Scope.values()).map(Scope::wire).toList()), texts(p.get("scope").get("enum")));
        assertEquals(new TreeSet<>(Arrays.stream(Origin.values()).map(Origin::wire).toList()), texts(p.get("origin").get("enum")));
        assertEquals(EnvelopeField.INJECT_TYPE, p.get("type").get("const").asText());
        JsonNode features = p.get("features").get("properties");
        assertEquals(new TreeSet<>(Arrays.stream(Feature.values()).map(Feature::wire).toList()), names(features));
        for (Feature f : Feature.values()) {
            JsonNode s = features.get(f.wire());
            assertEquals(f.min(), s.get("minimum").asDouble(), f.wire());
            assertEquals(f.max(), s.get("maximum").asDouble(), f.wire());
            if (!Double.isNaN(f.absent())) {
                assertEquals(f.absent(), s.get("default").asDouble(), f.wire());
            } else {
                assertEquals(null, s.get("default"), "trust has no default: absent means no claim");
            }
        }
        assertEquals(EnvelopeLimits.DEFAULTS.embeddingDimensions(), p.get("embedding").get("minItems").asInt());
        assertEquals(EnvelopeLimits.DEFAULTS.maxTargetNodes(), p.get("targetNodes").get("maxItems").asInt());
        assertEquals(EnvelopeLimits.DEFAULTS.maxOriginDepth(), p.get("originChainDepth").get("maximum").asInt());
    }

    @Test
    void patternsAcceptAndRefuseWhatTheParserDoes() {
        Map<String, List<String>> samples = Map.of(
                "id", List.of("a", "0190a-abc:1", "x".repeat(128), "x".repeat(129), "has space", "é", ""),
                "channel", List.of("errors.script", "a:b-c_d", "Errors", "x".repeat(129), ""),
                "source", List.of("script:backup", "ui:x", "hacker:me", "script:", ":x", "script:" + "y".repeat(200)));
        for (Map.Entry<String, List<String>> e : samples.entrySet()) {
            JsonNode prop = schema.get("properties").get(e.getKey());
            Pattern pattern = Pattern.compile(prop.get("pattern").asText());
            int maxLength = prop.has("maxLength") ? prop.get("maxLength").asInt() : Integer.MAX_VALUE;
            for (String value : e.getValue()) {
                boolean schemaAccepts = pattern.matcher(value).find() && value.length() <= maxLength;
                Map<String, Object> m = valid();
                m.put(e.getKey(), value);
                boolean parserAccepts = true;
                try {
                    new EnvelopeParser(EnvelopeLimits.DEFAULTS).parse(m, EnvelopeParser.Mode.ENVELOPE, 0, () -> "g");
                } catch (EnvelopeException ex) {
                    parserAccepts = false;
                }
                assertEquals(parserAccepts, schemaAccepts, e.getKey() + " = '" + value + "'");
            }
        }
    }

    @Test
    void theParserRejectsWhatTheSchemaMarksAsUnknown() {
        Map<String, Object> m = valid();
        m.put("features", new HashMap<>(Map.of("hype", 0.2)));
        assertThrows(EnvelopeException.class,
                () -> new EnvelopeParser(EnvelopeLimits.DEFAULTS).parse(m, EnvelopeParser.Mode.ENVELOPE, 0, () -> "g"));
        assertEquals(false, schema.get("properties").get("features").get("additionalProperties").asBoolean());
    }

    private static Map<String, Object> valid() {
        Map<String, Object> m = new HashMap<>();
        m.put("type", "membrane.inject");
        m.put("id", "id-1");
        m.put("scope", "personal");
        m.put("source", "script:backup");
        m.put("channel", "errors");
        m.put("content", "backup failed");
        return m;
    }
}
