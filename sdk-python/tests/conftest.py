"""Shared fixtures: the repository's files (the one envelope schema, the cases both SDKs share) and a real bus — the
packaged bridge (``bus-bridge/target/bus-bridge.jar``, built by ``./mvnw -B verify``) in embedded mode with the demo
world, started as a user starts it."""
from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SCHEMA = REPO / "protocol/src/main/resources/dev/membrane/protocol/envelope.schema.json"
SHARED_CASES = REPO / "sdk/src/test/resources/dev/membrane/sdk/sdk-cases.json"
BRIDGE_JAR = REPO / "bus-bridge/target/bus-bridge.jar"


@pytest.fixture(scope="session")
def schema():
    return json.loads(SCHEMA.read_text("utf-8"))


@pytest.fixture(scope="session")
def shared_cases():
    return json.loads(SHARED_CASES.read_text("utf-8"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def java() -> str:
    home = os.environ.get("JAVA_HOME")
    return str(Path(home) / "bin" / "java") if home else (shutil.which("java") or "java")


#: The session bus requires a token, as a deployed one would; these prefixes are what it lets this token inject.
TOKEN = "py-sdk-test-token"
TOKEN_PREFIXES = "script:,service:,ui:,tool:"


class Bridge:
    """The packaged bridge in its own JVM: ``--embedded DIR --demo --serve --token …`` on a port of the test's choosing."""

    def __init__(self, home: Path, port: int):
        if not BRIDGE_JAR.exists():
            pytest.fail(f"{BRIDGE_JAR} is missing: build it first (./mvnw -B verify, or ./mvnw -B -q package -DskipTests)")
        self.home = home
        self.port = port
        self.url = f"ws://127.0.0.1:{port}/api/ws"
        self.log = home / f"bridge-{port}.log"
        self.process = None

    def start(self, timeout: float = 120) -> "Bridge":
        self.home.mkdir(parents=True, exist_ok=True)
        args = [java(), "-jar", str(BRIDGE_JAR), "--embedded", str(self.home / "db"), "--demo", "--serve", "--no-model",
                "--port", str(self.port), "--bolt-port", str(free_port()), "--spool", str(self.home / "spool"),
                "--tick-seconds", "0", "--token", f"{TOKEN}={TOKEN_PREFIXES}"]
        env = {k: v for k, v in os.environ.items() if not k.startswith("NEO4J_")}
        self.process = subprocess.Popen(args, stdout=open(self.log, "ab"), stderr=subprocess.STDOUT, env=env)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"bridge exited with {self.process.returncode}: {self.log.read_text()[-3000:]}")
            try:
                if self.get("/health")[0] == 200:
                    return self
            except OSError:
                pass
            time.sleep(0.3)
        self.stop()
        raise RuntimeError(f"bridge did not answer /health within {timeout} s: {self.log.read_text()[-3000:]}")

    def get(self, path: str):
        request = urllib.request.Request(f"http://127.0.0.1:{self.port}{path}", headers={"Authorization": f"Bearer {TOKEN}"})
        try:
            with urllib.request.urlopen(request, timeout=10) as r:
                return r.status, json.loads(r.read() or b"null")
        except urllib.error.HTTPError as e:
            return e.code, json.loads(e.read() or b"null")

    def stimulus(self, ident: str):
        """The ``:Stimulus`` node the bridge reads from Neo4j over Bolt (its read-only API), or None."""
        status, body = self.get(f"/api/stimulus?id={ident}")
        return body if status == 200 else None

    def await_stimuli(self, ids, timeout: float = 30):
        deadline = time.monotonic() + timeout
        missing = list(ids)
        while missing and time.monotonic() < deadline:
            missing = [i for i in missing if self.stimulus(i) is None]
            if missing:
                time.sleep(0.2)
        return missing

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)


@pytest.fixture(scope="session")
def bridge(tmp_path_factory):
    b = Bridge(tmp_path_factory.mktemp("bridge"), free_port()).start()
    yield b
    b.stop()


@pytest.fixture
def spool_dir(tmp_path):
    return tmp_path / "spool"
