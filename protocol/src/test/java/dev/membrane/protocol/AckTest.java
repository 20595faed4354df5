package dev.membrane.protocol;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AckTest {

    @Test
    void theStatusSetIsClosedAndOnlyRetryInvitesAResend() {
        assertEquals(List.of("accepted", "duplicate", "rejected", "spooled", "retry"),
                java.util.Arrays.stream(Status.values()).map(Status::wire).toList());
        for (Status s : Status.values()) {
            assertEquals(s != Status.RETRY, s.isFinal(), s.wire());
        }
        assertTrue(Status.fromWire("error").isEmpty(), "no status outside the set");
    }

    @Test
    void anAckSurvivesTheWire() {
        Ack a = new Ack("e-1", Status.ACCEPTED, null, List.of("ada", "felix"), 2, 1);
        Map<String, Object> wire = a.toWire();
        assertEquals(List.of("type", "id", "status", "reason", "engines", "flips", "transfers"), List.copyOf(wire.keySet()));
        assertEquals("accepted", wire.get("status"));
        assertEquals(a, Ack.parse(wire).orElseThrow());
        assertEquals(Status.RETRY, Ack.parse(Ack.retry("e-2", "queue_full").toWire()).orElseThrow().status());
        assertFalse(Ack.retry("e-2", "queue_full").isFinal());
    }

    @Test
    void framesThatAreNotAcksOfTheSetAreNoAnswer() {
        assertTrue(Ack.parse(Map.of("type", "ack", "id", "x", "status", "error")).isEmpty(), "unknown status");
        assertTrue(Ack.parse(Map.of("type", "pong")).isEmpty());
        assertTrue(Ack.parse(Map.of("type", "ack", "id", "x")).isEmpty(), "no status");
        assertEquals(0, Ack.parse(Map.of("type", "ack", "id", "x", "status", "rejected", "flips", "many")).orElseThrow().flips());
    }
}
