package dev.membrane.protocol;

import java.lang.reflect.Array;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Map;

/** Approximate JSON size of a free-form value, to bound {@code provenance} and {@code metadata} without a JSON library. */
final class SerializedSize {
    private SerializedSize() {
    }

    static long of(Object v) {
        if (v == null) {
            return 4;
        }
        if (v instanceof String s) {
            return s.getBytes(StandardCharsets.UTF_8).length + 2L;
        }
        if (v instanceof Map<?, ?> m) {
            long n = 2;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                n += of(String.valueOf(e.getKey())) + 1 + of(e.getValue()) + 1;
            }
            return n;
        }
        if (v instanceof Collection<?> c) {
            long n = 2;
            for (Object x : c) {
                n += of(x) + 1;
            }
            return n;
        }
        if (v.getClass().isArray()) {
            long n = 2;
            int len = Array.getLength(v);
            for (int i = 0; i < len; i++) {
                n += of(Array.get(v, i)) + 1;
            }
            return n;
        }
        return String.valueOf(v).length();
    }
}
