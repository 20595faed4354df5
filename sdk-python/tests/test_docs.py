"""Every ```python block of docs/sdk-python.md runs, as written, against the real bus (a new process each: the
shared emitter is built from the environment, as a script's is). A line ``stimulus <id>`` a block prints must be a
:Stimulus in the graph once the script has exited."""
import re
import subprocess
import sys

import pytest
from conftest import REPO, TOKEN

DOC = REPO / "docs/sdk-python.md"
BLOCKS = re.findall(r"```python\n(.*?)```", DOC.read_text("utf-8"), re.S)


def test_the_page_has_snippets():
    assert len(BLOCKS) >= 3


@pytest.mark.parametrize("index", range(len(BLOCKS)))
def test_each_snippet_runs_and_its_stimuli_reach_the_graph(bridge, tmp_path, index):
    env = {"MEMBRANE_BUS_URL": bridge.url, "MEMBRANE_BUS_TOKEN": TOKEN, "MEMBRANE_SOURCE": "docs",
           "TMPDIR": str(tmp_path), "PATH": "/usr/bin:/bin"}
    out = subprocess.run([sys.executable, "-c", BLOCKS[index]], env=env, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, f"block {index}:\n{BLOCKS[index]}\n{out.stderr}"
    ids = [line.split()[-1] for line in out.stdout.splitlines() if line.startswith("stimulus ")]
    assert bridge.await_stimuli(ids) == [], out.stdout
