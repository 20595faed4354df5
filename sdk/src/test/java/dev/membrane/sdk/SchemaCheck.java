package dev.membrane.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.membrane.protocol.EnvelopeSchema;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks a JSON document against the plugin's envelope.schema.json for the keywords that schema uses. An unknown
 * keyword fails the check, so a schema that grows new rules cannot be silently half-checked here.
 */
final class SchemaCheck {
    private static final Set<String> ANNOTATIONS = Set.of("$schema", "$id", "title", "description", "default");
    static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNode SCHEMA = read();

    private SchemaCheck() {
    }

    private static JsonNode read() {
        try {
            return JSON.readTree(EnvelopeSchema.json());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The violations of {@code doc} against the envelope schema (empty = valid). */
    static List<String> violations(JsonNode doc) {
        List<String> out = new ArrayList<>();
        check(SCHEMA, doc, "$", out);
        return out;
    }

    private static void check(JsonNode schema, JsonNode v, String at, List<String> out) {
        for (Iterator<Map.Entry<String, JsonNode>> it = schema.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> rule = it.next();
            JsonNode r = rule.getValue();
            switch (rule.getKey()) {
                case "type" -> {
                    boolean ok = switch (r.asText()) {
                        case "object" -> v.isObject();
                        case "array" -> v.isArray();
                        case "string" -> v.isTextual();
                        case "number" -> v.isNumber();
                        case "integer" -> v.isIntegralNumber();
                        default -> throw new IllegalStateException("unknown type " + r);
                    };
                    if (!ok) {
                        out.add(at + ": not " + r.asText());
                    }
                }
                case "const" -> {
                    if (!r.equals(v)) {
                        out.add(at + ": not " + r);
                    }
                }
                case "enum" -> {
                    boolean found = false;
                    for (JsonNode e : r) {
                        found |= e.equals(v);
                    }
                    if (!found) {
                        out.add(at + ": not one of " + r);
                    }
                }
                case "pattern" -> {
                    if (v.isTextual() && !Pattern.compile(r.asText()).matcher(v.asText()).find()) {
                        out.add(at + ": does not match " + r.asText());
                    }
                }
                case "maxLength" -> {
                    if (v.isTextual() && v.asText().codePointCount(0, v.asText().length()) > r.asInt()) {
                        out.add(at + ": longer than " + r);
                    }
                }
                case "minLength" -> {
                    if (v.isTextual() && v.asText().codePointCount(0, v.asText().length()) < r.asInt()) {
                        out.add(at + ": shorter than " + r);
                    }
                }
                case "minimum" -> {
                    if (v.isNumber() && v.asDouble() < r.asDouble()) {
                        out.add(at + ": below " + r);
                    }
                }
                case "maximum" -> {
                    if (v.isNumber() && v.asDouble() > r.asDouble()) {
                        out.add(at + ": above " + r);
                    }
                }
                case "minItems" -> {
                    if (v.isArray() && v.size() < r.asInt()) {
                        out.add(at + ": fewer than " + r + " items");
                    }
                }
                case "maxItems" -> {
                    if (v.isArray() && v.size() > r.asInt()) {
                        out.add(at + ": more than " + r + " items");
                    }
                }
                case "items" -> {
                    for (int i = 0; v.isArray() && i < v.size(); i++) {
                        check(r, v.get(i), at + "[" + i + "]", out);
                    }
                }
                case "required" -> r.forEach(name -> {
                    if (!v.has(name.asText())) {
                        out.add(at + ": missing " + name.asText());
                    }
                });
                case "properties" -> r.fields().forEachRemaining(p -> {
                    if (v.has(p.getKey())) {
                        check(p.getValue(), v.get(p.getKey()), at + "." + p.getKey(), out);
                    }
                });
                case "additionalProperties" -> {
                    if (!r.asBoolean() && v.isObject()) {
                        v.fieldNames().forEachRemaining(n -> {
                            if (!schema.path("properties").has(n)) {
                                out.add(at + ": unknown field " + n);
                            }
                        });
                    }
                }
                case "format" -> {
                    if ("date-time".equals(r.asText())) {
                        try {
                            Instant.parse(v.asText());
                        } catch (RuntimeException e) {
                            out.add(at + ": not a date-time");
                        }
                    }
                }
                default -> {
                    if (!ANNOTATIONS.contains(rule.getKey())) {
                        throw new IllegalStateException("the checker does not know schema keyword '" + rule.getKey() + "' at " + at);
                    }
                }
            }
        }
    }
}
