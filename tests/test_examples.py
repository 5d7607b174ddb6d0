"""The worked notebook in examples/ runs: executed as a notebook (jupytext + nbclient + ipykernel,
the test extras) with its charts drawn inline, or, where those are not installed, as a script."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys

import pytest
from conftest import REPO

pytestmark = pytest.mark.slow  # plans a shipped scenario twice (at a 1 % gap: seconds each)

EXAMPLES = REPO / "examples"
NOTEBOOK = EXAMPLES / "worked_example.py"
NOTEBOOK_TOOLS = ("jupytext", "nbclient", "ipykernel")
PLOTLY_OUTPUT = "application/vnd.plotly.v1+json"


def _notebook_tools_installed() -> bool:
    return all(importlib.util.find_spec(name) is not None for name in NOTEBOOK_TOOLS)


@pytest.mark.skipif(not _notebook_tools_installed(), reason="jupytext, nbclient and ipykernel (test extras) missing")
def test_the_notebook_runs_and_draws_its_charts_inline():
    import jupytext
    from nbclient import NotebookClient

    notebook = jupytext.read(NOTEBOOK)
    NotebookClient(notebook, timeout=600, kernel_name="python3",
                   resources={"metadata": {"path": str(EXAMPLES)}}).execute()
    outputs = [o for cell in notebook.cells if cell.cell_type == "code" for o in cell.get("outputs", [])]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    charts = [o for o in outputs if PLOTLY_OUTPUT in o.get("data", {})]
    assert len(charts) >= 4, "the fleet, emissions and comparison charts are drawn inline"
    printed = "".join(o.get("text", "") for o in outputs if o.get("output_type") == "stream")
    assert "The target costs" in printed and "/tCO2e against planning without it" in printed


def test_the_notebook_runs_as_a_script():
    """Without Jupyter the same file is a script (its charts are built, not shown)."""
    if _notebook_tools_installed():
        pytest.skip("executed as a notebook above")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")])}
    result = subprocess.run([sys.executable, str(NOTEBOOK)], cwd=EXAMPLES, env=env, capture_output=True, text=True,
                            timeout=600, check=False)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "The target costs" in result.stdout
