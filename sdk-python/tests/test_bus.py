"""End to end against the real bus: the packaged bridge in embedded mode (Neo4j in its JVM, the demo world), the
Python emitter on the other side of a real WebSocket, the ``:Stimulus`` read back from Neo4j over Bolt by the
bridge's read-only API."""
import json
import statistics
import subprocess
import sys
import time

from conftest import TOKEN, Bridge, free_port
from wsserver import SilentBus

from membrane_stimuli import MembraneEmitter, Scope


def word(i: int) -> str:
    """A distinct word per number: digits are normalised away by the dedupe key (SPEC §12), so repeated texts that
    differ only by a counter integrate once per dedupe window — on purpose. Tests that need each envelope integrated
    say something different each time."""
    letters = "abcdefghijklmnopqrstuvwxyz"
    out = ""
    i += 26
    while i:
        i, r = divmod(i, 26)
        out = letters[r] + out
    return out


def wait_for(condition, timeout=60.0, what="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError(f"{what} not reached within {timeout} s")


def test_stimuli_emitted_from_python_reach_the_graph(bridge, spool_dir):
    e = MembraneEmitter("script:nightly-backup", bus_url=bridge.url, token=TOKEN, spool_dir=spool_dir, close_at_exit=False)
    ids = [e.emit(Scope.PERSONAL, "backup", "Nightly database backup job failure alerts: restore the backup")]
    try:
        int("not a number")
    except ValueError:
        ids.append(e.emit_script_error(source="script:nightly-backup", error_message="backup verification failed",
                                       scope=Scope.PERSONAL, exc_info=sys.exc_info()))
    ids.append(e.emit_metric(source="service:db", metric_name="backup.duration_s", value=2520.5, scope=Scope.PERSONAL))
    ids.append(e.emit_ui_action(action_type="click", description="restore the backup", citizen_id="atlas"))
    ids.append(e.emit_tool_result(tool_id="restore", request_id="req-1", success=True, result="restored 12 tables",
                                  scope=Scope.PERSONAL, execution_time_ms=950))
    assert e.close(20), e.metrics()
    m = e.metrics()
    assert (m.acked, m.rejected, m.spool_bytes, m.dropped_count) == (5, 0, 0, 0), m
    assert bridge.await_stimuli(ids) == []
    first = bridge.stimulus(ids[0])
    assert (first["source"], first["scope"], first["channel"], first["status"]) == \
        ("script:nightly-backup", "personal", "backup", "accepted")
    assert any(i["nodeId"] == "atlas:backup" for i in first["items"]), "the alarm reached the backup node"
    assert bridge.stimulus(ids[1])["channel"] == "script.error"
    assert bridge.stimulus(ids[4])["source"] == "tool:restore"


def test_a_source_the_token_does_not_allow_is_rejected_counted_and_not_sent_again(bridge, spool_dir):
    e = MembraneEmitter("custom:intruder", bus_url=bridge.url, token=TOKEN, spool_dir=spool_dir, close_at_exit=False)
    ident = e.emit("personal", "ops", "let me in")
    assert e.close(20), "a rejected envelope is final: nothing is left to deliver"
    m = e.metrics()
    assert (m.acked, m.rejected, m.sent, m.spool_bytes) == (1, 1, 1, 0), m
    assert bridge.stimulus(ident) is None


def test_bus_down_then_up_everything_is_spooled_replayed_and_integrated_exactly_once(tmp_path, spool_dir):
    port = free_port()
    e = MembraneEmitter("script:outage", bus_url=f"ws://127.0.0.1:{port}/api/ws", token=TOKEN, spool_dir=spool_dir,
                        batch_size=10, flush_interval=0.05, reconnect_min=0.05, reconnect_max=0.5, close_at_exit=False)
    ids = [e.emit("personal", "outage", f"backup failed while the bus was away, attempt {word(i)}") for i in range(30)]
    wait_for(lambda: e.metrics().spooled == 30, 30, "30 spooled")
    assert e.metrics().spool_writes >= 1 and sorted(p.name for p in spool_dir.iterdir())[0] == ".lock"
    bridge = Bridge(tmp_path / "late-bridge", port).start()
    try:
        wait_for(lambda: e.metrics().replayed == 30, 60, "30 replayed")
        ids += [e.emit("personal", "outage", f"backup fine again, check {word(i)}") for i in range(20)]
        assert e.close(20), e.metrics()
        m = e.metrics()
        assert (m.acked, m.spool_bytes, m.dropped_count) == (50, 0, 0), m
        assert bridge.await_stimuli(ids) == []
        status, health = bridge.get("/health")
        assert health["accepted"] == 50, f"each envelope integrated exactly once: {health}"
        assert [p.name for p in spool_dir.iterdir()] == [".lock"], "the spool is empty"
    finally:
        bridge.stop()


def test_a_new_emitter_replays_what_a_closed_one_left_on_disk(bridge, spool_dir):
    port = free_port()  # nobody there
    first = MembraneEmitter("script:left-behind", bus_url=f"ws://127.0.0.1:{port}/api/ws", spool_dir=spool_dir,
                            close_at_exit=False)
    ids = [first.emit("personal", "ops", f"left behind {word(i)}") for i in range(7)]
    assert not first.close(0.5), "the bus never answered: close says not everything was delivered"
    assert first.metrics().spooled == 7
    second = MembraneEmitter("script:left-behind", bus_url=bridge.url, token=TOKEN, spool_dir=spool_dir, close_at_exit=False)
    assert second.close(20), second.metrics()
    assert second.metrics().replayed == 7
    assert bridge.await_stimuli(ids) == []


def test_emit_returns_at_once_and_loses_nothing_while_the_bus_never_answers(spool_dir):
    bus = SilentBus()
    e = MembraneEmitter("script:silent", bus_url=f"ws://127.0.0.1:{bus.port}/api/ws", spool_dir=spool_dir, close_at_exit=False)
    try:
        durations = []
        ids = []
        for i in range(500):
            t0 = time.perf_counter_ns()
            ids.append(e.emit("personal", "ops", f"heartbeat {i} from a busy script"))
            durations.append(time.perf_counter_ns() - t0)
        # measured, not asserted (bench/emit_latency.py is the benchmark): emit does not wait for the silent bus
        print(f"emit while the bus never answers: median {statistics.median(durations) / 1000:.1f} µs, "
              f"max {max(durations) / 1000:.1f} µs over {len(durations)}")
        assert not e.close(0.5)
        m = e.metrics()
        assert m.dropped_count == 0 and m.spooled == 500, m
        spooled = [json.loads(line)["id"] for p in sorted(spool_dir.glob("b-*.jsonl")) for line in p.read_text().split("\n") if line]
        assert spooled == ids, "every accepted envelope is on disk, in emit order"
    finally:
        bus.close()


def test_a_script_from_the_guide_runs_with_only_its_import_changed(bridge, tmp_path):
    """examples/nightly_backup.py is written as the original guide shows; only its import names membrane_stimuli."""
    from conftest import REPO
    script = REPO / "sdk-python/examples/nightly_backup.py"
    env = {"MEMBRANE_BUS_URL": bridge.url, "MEMBRANE_BUS_TOKEN": TOKEN, "MEMBRANE_SOURCE": "nightly-backup",
           "TMPDIR": str(tmp_path), "PATH": "/usr/bin:/bin"}
    out = subprocess.run([sys.executable, str(script)], env=env, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    ids = [line.split()[-1] for line in out.stdout.splitlines() if line.startswith("stimulus ")]
    assert len(ids) == 2, out.stdout
    assert bridge.await_stimuli(ids) == [], "the script's stimuli are in the graph (it exited: its emitter closed at exit)"
    assert "dropped_count=0" in out.stdout and "spool_writes=0" in out.stdout, out.stdout
