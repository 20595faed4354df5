"""How long ``emit`` takes while the bus never answers (a TCP server that accepts and stays silent). Prints the
median, p99 and max per call in microseconds; docs/sdk-python.md quotes the result. A measurement, never a test."""
import socket
import statistics
import sys
import tempfile
import threading
import time

from membrane_stimuli import MembraneEmitter, Scope

CALLS = int(sys.argv[1]) if len(sys.argv) > 1 else 20_000


def silent_bus():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    s.listen(64)
    held = []
    threading.Thread(target=lambda: [held.append(s.accept()) for _ in iter(int, 1)], daemon=True).start()
    return s


bus = silent_bus()
with tempfile.TemporaryDirectory() as spool:
    e = MembraneEmitter("script:bench", bus_url=f"ws://127.0.0.1:{bus.getsockname()[1]}/api/ws", spool_dir=spool,
                        queue_capacity=CALLS, close_at_exit=False)
    times = []
    for i in range(CALLS):
        t0 = time.perf_counter_ns()
        e.emit(Scope.PERSONAL, "bench", "the nightly job finished step %d of the import" % i)
        times.append(time.perf_counter_ns() - t0)
    times.sort()
    print(f"emit while the bus never answers, {CALLS} calls (Python {sys.version.split()[0]}): "
          f"median {statistics.median(times) / 1000:.1f} µs, p99 {times[int(0.99 * len(times))] / 1000:.1f} µs, "
          f"max {times[-1] / 1000:.1f} µs; dropped {e.metrics().dropped_count}")
    e.close(0.5)
    print(f"after close: spooled {e.metrics().spooled} of {CALLS}")
