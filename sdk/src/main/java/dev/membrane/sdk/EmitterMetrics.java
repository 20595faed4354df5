package dev.membrane.sdk;

/**
 * Counters of one emitter since it was built (SPEC §12), all envelopes unless said otherwise.
 *
 * @param dropped      discarded by the full in-memory queue (oldest first), or emitted after close
 * @param spoolWrites  batch files written to the spool (each fsync'd)
 * @param sent         sent to the bus (replays included)
 * @param acked        acknowledged by the bus with a final status (accepted, duplicate, rejected, spooled by the bus)
 * @param rejected     of those acked, refused by the plugin's validation (logged with the reason; never re-sent)
 * @param spooled      written to the local spool because the bus was away or did not ack in time
 * @param replayed     taken from the spool, sent again and acknowledged
 * @param spoolDropped deleted from the spool to keep it under {@code maxSpoolBytes} (oldest first)
 * @param queueDepth   waiting in memory now
 * @param spoolBytes   on disk in the spool now
 * @param failures     flush rounds that failed (spool unwritable, unexpected exception; logged); the emitter went on
 * @param spoolProblem why the spool cannot be written now (directory not writable, disk full), or null
 */
public record EmitterMetrics(long dropped, long spoolWrites, long sent, long acked, long rejected, long spooled, long replayed,
                             long spoolDropped, int queueDepth, long spoolBytes, long failures, String spoolProblem) {
}
