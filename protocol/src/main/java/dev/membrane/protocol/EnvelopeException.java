package dev.membrane.protocol;

/**
 * One envelope broke a rule of SPEC §3. {@link #reason()} is the machine-readable reason
 * ({@code invalid_field:features.trust}, {@code ttl_expired}); the message says what was wrong and what is allowed.
 */
public final class EnvelopeException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /** Reason prefix for a field that broke its rule. */
    public static final String INVALID_FIELD = "invalid_field:";
    /** Reason of an envelope whose {@code ts + ttlMs} lies in the past. */
    public static final String TTL_EXPIRED = "ttl_expired";

    private final String field;
    private final String reason;

    private EnvelopeException(String field, String reason, String detail) {
        super(reason + ": " + detail);
        this.field = field;
        this.reason = reason;
    }

    public static EnvelopeException invalid(String field, String detail) {
        return new EnvelopeException(field, INVALID_FIELD + field, detail);
    }

    public static EnvelopeException ttlExpired(String detail) {
        return new EnvelopeException(EnvelopeField.TTL_MS.wire(), TTL_EXPIRED, detail);
    }

    /** The field path at fault, e.g. {@code features.trust}. */
    public String field() {
        return field;
    }

    public String reason() {
        return reason;
    }
}
