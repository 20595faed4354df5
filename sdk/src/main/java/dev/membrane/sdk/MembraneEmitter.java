package dev.membrane.sdk;

import dev.membrane.protocol.EnvelopeField;
import dev.membrane.protocol.EnvelopeLimits;
import dev.membrane.protocol.EnvelopeParser;
import dev.membrane.sdk.envelope.DedupeKey;
import dev.membrane.sdk.envelope.UuidV7;
import dev.membrane.sdk.errors.SecretRedactor;
import dev.membrane.sdk.errors.StackFingerprint;
import dev.membrane.sdk.errors.TraceText;
import dev.membrane.sdk.spool.SpoolDir;
import dev.membrane.sdk.transport.DropOldestQueue;
import dev.membrane.sdk.transport.Flusher;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Pushes stimuli into the membrane bus without ever slowing or breaking its host (SPEC §12).
 * <p>{@code emit} builds and validates the envelope (a UUIDv7 id, {@code ts}, defaults), puts it in a bounded
 * in-memory queue and returns its id; it never waits for the network or for space (when full, the oldest queued
 * envelope is dropped and counted). A daemon flusher sends batches over WebSocket and waits for the bus's acks; what
 * cannot be delivered goes to an fsync'd spool on disk and is replayed, oldest first, when the bus answers again. The
 * client says <em>scope</em> and <em>source</em> — never which engine or citizen should react: the membrane decides.
 * <p>Invalid arguments (a scope that does not exist, a feature outside its range, content over 64 KiB) throw
 * {@link dev.membrane.protocol.EnvelopeException} at the call, naming the field: a programming error is reported
 * where it is made rather than lost later. Thread-safe.
 */
public final class MembraneEmitter implements AutoCloseable {
    private final EmitterOptions options;
    private final EnvelopeParser parser;
    private final UuidV7 ids = new UuidV7();
    private final DropOldestQueue<Map<String, Object>> queue;
    private final SpoolDir spool;
    private final Flusher.Counters counters = new Flusher.Counters();
    private final Flusher flusher;
    private final Thread thread;
    private final Thread shutdownHook;
    private volatile boolean closed;

    private MembraneEmitter(EmitterOptions options) {
        this.options = options;
        this.parser = new EnvelopeParser(options.limits());
        this.queue = new DropOldestQueue<>(options.queueCapacity());
        // An unwritable spool directory must not stop the host: the emitter starts, says why in metrics() and
        // the log, and tries the directory again on every spool write.
        this.spool = new SpoolDir(options.spoolDir(), options.maxSpoolBytes());
        if (spool.problem() != null) {
            System.getLogger(MembraneEmitter.class.getName()).log(System.Logger.Level.ERROR, "membrane emitter "
                    + options.source() + ": " + spool.problem() + "; envelopes are delivered while the bus answers, and "
                    + "spooled once the directory can be written");
        }
        this.flusher = new Flusher(new Flusher.Settings(options.busUri(), options.token(), options.batchSize(),
                options.flushInterval(), options.ackTimeout(), options.connectTimeout(), options.reconnectMin(),
                options.reconnectMax(), options.maxFrameBytes()), queue, spool, counters);
        this.thread = new Thread(flusher, "membrane-emitter-" + options.source());
        thread.setDaemon(true);
        thread.start();
        if (options.closeOnShutdown()) {
            shutdownHook = new Thread(() -> close(options.shutdownTimeout()), "membrane-emitter-shutdown");
            Runtime.getRuntime().addShutdownHook(shutdownHook);
        } else {
            shutdownHook = null;
        }
    }

    public static Builder builder(String source) {
        return new Builder(source);
    }

    public EmitterOptions options() {
        return options;
    }

    /** {@link #emit(String, String, String, Map, String, Map, String...)} with default features and no origin. */
    public String emit(String scope, String channel, String content) {
        return emit(scope, channel, content, null, null, null);
    }

    /**
     * Queues one stimulus from this emitter's source.
     *
     * @param scope       {@code personal}, {@code organizational} or {@code ecosystem}: which engines may self-select
     * @param channel     {@code [a-z0-9._:-]{1,128}}
     * @param content     the text retrieved by (≤ 64 KiB)
     * @param features    feature name → value (SPEC §3 ranges), or null for the plugin's defaults
     * @param origin      {@code ui}, {@code external}, {@code self_observation}, {@code tool}, or null
     * @param provenance  free map (may hold {@code citizen_id} for provenance — never used to route), or null
     * @param targetNodes node ids that replace retrieval (never an engine or citizen choice)
     * @return the envelope id (UUIDv7)
     */
    public String emit(String scope, String channel, String content, Map<String, ? extends Number> features, String origin,
                       Map<String, ?> provenance, String... targetNodes) {
        Map<String, Object> e = envelope(options.source(), scope, channel, content, features == null ? null : new LinkedHashMap<>(features),
                origin, provenance == null ? null : new LinkedHashMap<>(provenance), null,
                content == null ? null : DedupeKey.of(options.source(), content, null));
        if (targetNodes != null && targetNodes.length > 0) {
            e.put(EnvelopeField.TARGET_NODES.wire(), List.copyOf(Arrays.asList(targetNodes)));
        }
        return enqueue(e);
    }

    /**
     * A script failed: the message and the trace (≤ 60 lines, ≤ 16 KiB) with secrets removed, a stack fingerprint
     * stable across deploys, and a dedupe key so a storm of the same error integrates once per dedupe window. The key
     * hashes the message (normalised) and the fingerprint, which stands for the trace: hashing the trace text too
     * would cost tens of microseconds on the host thread and add nothing the fingerprint does not say.
     */
    public String emitScriptError(String source, String message, String scope, Throwable throwable, Map<String, ?> metadata) {
        StimulusKind kind = StimulusKind.SCRIPT_ERROR;
        String fingerprint = throwable == null ? null : StackFingerprint.of(throwable);
        StringBuilder text = new StringBuilder(SecretRedactor.redact(Objects.requireNonNullElse(message, "")));
        if (throwable != null) {
            text.append('\n').append(SecretRedactor.redact(TraceText.of(throwable)));
        }
        Map<String, Object> meta = new LinkedHashMap<>();
        if (metadata != null) {
            meta.putAll(SecretRedactor.redact(new LinkedHashMap<>(metadata)));
        }
        if (throwable != null) {
            meta.put("exception", throwable.getClass().getName());
            meta.put("fingerprint", fingerprint);
        }
        String content = text.toString();
        Map<String, Object> e = envelope(source, scope, kind.channel(), content, kind.featuresWith(null), kind.origin().wire(),
                null, meta, DedupeKey.of(source, message == null ? "" : message, fingerprint));
        return enqueue(e);
    }

    /** A measurement: {@code name = value} as content, the value and tags in metadata, low-novelty features. */
    public String emitMetric(String source, String name, double value, String scope, Map<String, String> tags) {
        if (!Double.isFinite(value)) {
            throw dev.membrane.protocol.EnvelopeException.invalid("metadata.value", "a metric value must be finite, got " + value);
        }
        StimulusKind kind = StimulusKind.METRIC;
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("metric", name);
        meta.put("value", value);
        if (tags != null && !tags.isEmpty()) {
            meta.put("tags", new LinkedHashMap<>(tags));
        }
        String content = name + " = " + value + (tags == null || tags.isEmpty() ? "" : " " + tags);
        // The exact value is the "fingerprint": the same reading repeated within the dedupe window integrates once,
        // a changed one does not (digit normalisation alone would merge every reading of one metric).
        return enqueue(envelope(source, scope, kind.channel(), content, kind.featuresWith(null), kind.origin().wire(), null, meta,
                DedupeKey.of(source, content, Double.toString(value))));
    }

    /**
     * A person acted in the UI, from this emitter's source. {@code citizenId} is recorded as provenance only: it
     * says who acted, never who should react.
     */
    public String emitUiAction(String type, String description, String scope, String citizenId, Map<String, ?> metadata) {
        StimulusKind kind = StimulusKind.UI_ACTION;
        Map<String, Object> meta = new LinkedHashMap<>();
        if (metadata != null) {
            meta.putAll(SecretRedactor.redact(new LinkedHashMap<>(metadata)));
        }
        meta.put("action", type);
        Map<String, Object> provenance = citizenId == null ? null : new LinkedHashMap<>(Map.of("citizen_id", citizenId));
        String content = type + ": " + SecretRedactor.redact(Objects.requireNonNullElse(description, ""));
        return enqueue(envelope(options.source(), scope, kind.channel(), content, kind.featuresWith(null), kind.origin().wire(),
                provenance, meta, DedupeKey.of(options.source(), content, null)));
    }

    /** A tool call finished; its source is {@code tool:<toolId>}, success or failure picks the features. */
    public String emitToolResult(String toolId, String requestId, boolean success, String result, String scope,
                                 long executionTimeMs, Map<String, ?> provenance) {
        StimulusKind kind = success ? StimulusKind.TOOL_SUCCESS : StimulusKind.TOOL_FAILURE;
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("requestId", requestId);
        meta.put("success", success);
        meta.put("executionTimeMs", executionTimeMs);
        String content = toolId + (success ? " succeeded: " : " failed: ") + SecretRedactor.redact(Objects.requireNonNullElse(result, ""));
        // Each request is its own result: the request id keeps two calls with similar output apart.
        return enqueue(envelope("tool:" + toolId, scope, kind.channel(), content, kind.featuresWith(null), kind.origin().wire(),
                provenance == null ? null : new LinkedHashMap<>(provenance), meta, DedupeKey.of("tool:" + toolId, content, requestId)));
    }

    private Map<String, Object> envelope(String source, String scope, String channel, String content, Map<String, Object> features,
                                         String origin, Map<String, Object> provenance, Map<String, Object> metadata, String dedupeKey) {
        long now = options.clock().millis();
        Map<String, Object> e = new LinkedHashMap<>(16);
        e.put(EnvelopeField.TYPE.wire(), EnvelopeField.INJECT_TYPE);
        e.put(EnvelopeField.ID.wire(), ids.next(now).toString());
        e.put(EnvelopeField.TS.wire(), Instant.ofEpochMilli(now).toString());
        e.put(EnvelopeField.SCOPE.wire(), scope);
        e.put(EnvelopeField.SOURCE.wire(), source);
        e.put(EnvelopeField.CHANNEL.wire(), channel);
        e.put(EnvelopeField.CONTENT.wire(), content);
        putIfPresent(e, EnvelopeField.FEATURES, features == null || features.isEmpty() ? null : features);
        putIfPresent(e, EnvelopeField.ORIGIN, origin);
        putIfPresent(e, EnvelopeField.PROVENANCE, provenance);
        putIfPresent(e, EnvelopeField.METADATA, metadata == null || metadata.isEmpty() ? null : metadata);
        putIfPresent(e, EnvelopeField.DEDUPE_KEY, dedupeKey);
        return e;
    }

    private static void putIfPresent(Map<String, Object> e, EnvelopeField f, Object v) {
        if (v != null) {
            e.put(f.wire(), v);
        }
    }

    private String enqueue(Map<String, Object> e) {
        parser.parse(e, EnvelopeParser.Mode.ENVELOPE, options.clock().millis(), () -> (String) e.get(EnvelopeField.ID.wire()));
        if (!queue.offer(e)) { // refused only after close(): counted as dropped
            return null;
        }
        return (String) e.get(EnvelopeField.ID.wire());
    }

    public EmitterMetrics metrics() {
        return new EmitterMetrics(queue.dropped(), counters.spoolWrites.get(), counters.sent.get(), counters.acked.get(),
                counters.rejected.get(), counters.spooled.get(), counters.replayed.get(), spool.droppedEnvelopes(), queue.size(),
                spool.bytes(), counters.failures.get(), spool.problem());
    }

    /**
     * Delivers what is queued, waiting at most {@code timeout} for the bus; whatever is still undelivered then is
     * spooled (and replayed by the next emitter on this spool directory). Later emits are dropped and counted.
     *
     * @return true when everything emitted was acknowledged by the bus (the spool is empty)
     */
    public boolean close(Duration timeout) {
        synchronized (this) {
            if (!closed) {
                closed = true;
                flusher.requestClose(System.nanoTime() + timeout.toNanos());
            }
        }
        try {
            // The flusher spools what is left at the deadline; give it a moment beyond for that disk write.
            thread.join(timeout.toMillis() + options.connectTimeout().toMillis() + 1_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        boolean delivered;
        try {
            List<Map<String, Object>> late = queue.close();
            // Emitted while the flusher was finishing (or it is stuck past its deadline): keep them on disk rather
            // than in a process that is going away.
            flusher.spoolNow(late);
            delivered = !thread.isAlive() && spool.isEmpty();
            if (!thread.isAlive()) {
                spool.close();
            }
        } catch (IOException e) {
            delivered = false;
        }
        if (shutdownHook != null && Thread.currentThread() != shutdownHook) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException e) {
                // The JVM is already shutting down.
            }
        }
        return delivered;
    }

    /** {@link #close(Duration)} with the configured shutdown timeout. */
    @Override
    public void close() {
        close(options.shutdownTimeout());
    }

    /** Options of a {@link MembraneEmitter}; every setter has the default documented on {@link EmitterOptions}. */
    public static final class Builder {
        private final String source;
        private URI busUri = EmitterOptions.DEFAULT_BUS_URI;
        private String token;
        private int queueCapacity = EmitterOptions.DEFAULT_QUEUE_CAPACITY;
        private int batchSize = EmitterOptions.DEFAULT_BATCH_SIZE;
        private Duration flushInterval = EmitterOptions.DEFAULT_FLUSH_INTERVAL;
        private Path spoolDir;
        private long maxSpoolBytes = EmitterOptions.DEFAULT_MAX_SPOOL_BYTES;
        private Duration ackTimeout = EmitterOptions.DEFAULT_ACK_TIMEOUT;
        private Duration connectTimeout = EmitterOptions.DEFAULT_CONNECT_TIMEOUT;
        private Duration reconnectMin = EmitterOptions.DEFAULT_RECONNECT_MIN;
        private Duration reconnectMax = EmitterOptions.DEFAULT_RECONNECT_MAX;
        private int maxFrameBytes = EmitterOptions.DEFAULT_MAX_FRAME_BYTES;
        private boolean closeOnShutdown = true;
        private Duration shutdownTimeout = EmitterOptions.DEFAULT_SHUTDOWN_TIMEOUT;
        private Clock clock = Clock.systemUTC();
        private EnvelopeLimits limits = EnvelopeLimits.DEFAULTS;

        private Builder(String source) {
            this.source = Objects.requireNonNull(source, "source");
        }

        public Builder busUri(URI v) { busUri = Objects.requireNonNull(v, "busUri"); return this; }
        public Builder busUri(String v) { return busUri(URI.create(v)); }
        public Builder token(String v) { token = v; return this; }
        public Builder queueCapacity(int v) { queueCapacity = v; return this; }
        public Builder batchSize(int v) { batchSize = v; return this; }
        public Builder flushInterval(Duration v) { flushInterval = v; return this; }
        public Builder spoolDir(Path v) { spoolDir = v; return this; }
        public Builder maxSpoolBytes(long v) { maxSpoolBytes = v; return this; }
        public Builder ackTimeout(Duration v) { ackTimeout = v; return this; }
        public Builder connectTimeout(Duration v) { connectTimeout = v; return this; }
        public Builder reconnectBackoff(Duration min, Duration max) { reconnectMin = min; reconnectMax = max; return this; }
        public Builder maxFrameBytes(int v) { maxFrameBytes = v; return this; }
        public Builder closeOnShutdown(boolean v) { closeOnShutdown = v; return this; }
        public Builder shutdownTimeout(Duration v) { shutdownTimeout = v; return this; }
        public Builder clock(Clock v) { clock = Objects.requireNonNull(v, "clock"); return this; }
        public Builder limits(EnvelopeLimits v) { limits = Objects.requireNonNull(v, "limits"); return this; }

        public EmitterOptions options() {
            // The source is checked like any envelope field, so a bad one fails here rather than at the first emit.
            Map<String, Object> probe = new LinkedHashMap<>();
            probe.put(EnvelopeField.SOURCE.wire(), source);
            probe.put(EnvelopeField.CONTENT.wire(), "probe");
            new EnvelopeParser(limits).parse(probe, EnvelopeParser.Mode.STIMULUS, 0, () -> "probe");
            return new EmitterOptions(source, busUri, token, queueCapacity, batchSize, flushInterval,
                    spoolDir != null ? spoolDir : EmitterOptions.defaultSpoolDir(source), maxSpoolBytes, ackTimeout,
                    connectTimeout, reconnectMin, reconnectMax, maxFrameBytes, closeOnShutdown, shutdownTimeout, clock, limits);
        }

        public MembraneEmitter build() {
            return new MembraneEmitter(options());
        }
    }
}
