package dev.membrane.sdk.transport;

import dev.membrane.protocol.Status;

/** The bus's answer for one envelope (SPEC §11): a final status once its transaction committed or it was spooled. */
public record Ack(String id, String status, String reason) {
    /** True when the bus has taken responsibility for the envelope (it will not be sent again). */
    public boolean isFinal() {
        return Status.fromWire(status).isPresent();
    }

    public boolean rejected() {
        return Status.REJECTED.wire().equals(status);
    }
}
