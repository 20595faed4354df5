package dev.membrane.sdk;

import dev.membrane.sdk.json.Json;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * The cases both SDKs must pass ({@code sdk/src/test/resources/dev/membrane/sdk/sdk-cases.json}): the Java tests
 * and the Python twin's ({@code sdk-python/tests/test_shared_cases.py}) read the same file, so redaction and dedupe
 * keys cannot drift apart between the two.
 */
public final class SharedCases {
    private static final Map<String, Object> CASES = load();

    private SharedCases() {
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> load() {
        try (InputStream in = SharedCases.class.getResourceAsStream("sdk-cases.json")) {
            return (Map<String, Object>) Json.read(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException("sdk-cases.json: " + e, e);
        }
    }

    @SuppressWarnings("unchecked")
    public static List<Map<String, Object>> list(String name) {
        return (List<Map<String, Object>>) CASES.get(name);
    }

    @SuppressWarnings("unchecked")
    public static List<String> strings(String name) {
        return (List<String>) CASES.get(name);
    }
}
