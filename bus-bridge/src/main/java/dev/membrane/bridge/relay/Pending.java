package dev.membrane.bridge.relay;

import dev.membrane.protocol.Ack;

import java.util.Map;
import java.util.function.Consumer;

/** One queued envelope and where its ack goes; touched only by the relay thread once queued. */
final class Pending {
    private final Map<String, Object> envelope;
    private final Consumer<Ack> ack;
    private boolean answered;

    Pending(Map<String, Object> envelope, Consumer<Ack> ack) {
        this.envelope = envelope;
        this.ack = ack;
    }

    Map<String, Object> envelope() {
        return envelope;
    }

    Consumer<Ack> ack() {
        return ack;
    }

    boolean answered() {
        return answered;
    }

    /** Sends {@code a}; an envelope gets one final ack (a {@code spooled} one may precede it). */
    void answer(Ack a) {
        answered = true;
        ack.accept(a);
    }
}
