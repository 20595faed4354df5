"""The closed status set of SPEC §11 as the emitter acts on it: ``retry`` is re-sent (after a backoff, order kept)
until a final ack; final statuses are never re-sent."""
import time

from wsserver import AckingBus

from membrane_stimuli import MembraneEmitter


def test_envelopes_answered_retry_are_sent_again_until_each_has_a_final_ack(spool_dir):
    bus = AckingBus(lambda ident, seen: "retry" if seen == 1 else "accepted")
    e = MembraneEmitter("script:busy", bus_url=bus.url, spool_dir=spool_dir, batch_size=10, flush_interval=0.02,
                        reconnect_min=0.05, reconnect_max=0.2, close_at_exit=False)
    try:
        ids = [e.emit("personal", "busy", f"the relay queue is full, attempt {i}") for i in range(30)]
        assert e.close(10), e.metrics()
        m = e.metrics()
        assert m.acked == 30 and m.rejected == 0 and m.sent >= 60, m
        assert all(bus.seen[i] == 2 for i in ids), "each sent once more after its retry, and no more"
        resent = [i for frame in bus.frames for i in frame if bus.seen[i] == 2]
        assert sorted(set(resent), key=ids.index) == ids, "re-sent in emit order"
    finally:
        bus.close()


def test_final_statuses_are_never_sent_again(spool_dir):
    statuses = {}

    def status(ident, seen):  # the test records each id's status right after emit returns: wait for it
        deadline = time.monotonic() + 5
        while ident not in statuses and time.monotonic() < deadline:
            time.sleep(0.005)
        return statuses[ident]

    bus = AckingBus(status)
    e = MembraneEmitter("script:mixed", bus_url=bus.url, spool_dir=spool_dir, flush_interval=0.02, close_at_exit=False)
    try:
        for i, status in enumerate(["accepted", "duplicate", "rejected", "spooled"] * 3):
            statuses[e.emit("personal", "mixed", f"message {i}")] = status
        assert e.close(10), e.metrics()
        m = e.metrics()
        assert (m.acked, m.rejected, m.sent) == (12, 3, 12), m
        assert set(bus.seen.values()) == {1}
    finally:
        bus.close()


def test_flush_waits_until_every_accepted_envelope_has_a_final_ack(spool_dir):
    bus = AckingBus(lambda ident, seen: "retry" if seen == 1 else "accepted")
    e = MembraneEmitter("script:flushing", bus_url=bus.url, spool_dir=spool_dir, flush_interval=0.02,
                        reconnect_min=0.05, reconnect_max=0.2, close_at_exit=False)
    try:
        for i in range(40):
            e.emit("personal", "flushing", f"step {i}")
        assert e.flush(10), e.metrics()
        assert e.metrics().acked == 40, "flush returned only after the retried envelopes were acknowledged"
    finally:
        e.close(1)
        bus.close()


def test_flush_says_false_while_the_bus_is_away(spool_dir):
    e = MembraneEmitter("script:alone", bus_url="ws://127.0.0.1:9/api/ws", spool_dir=spool_dir, flush_interval=0.02,
                        close_at_exit=False)
    try:
        e.emit("personal", "alone", "nobody listens")
        assert not e.flush(0.3)
    finally:
        e.close(0.1)
