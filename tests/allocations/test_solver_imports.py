"""ortools bundles its own HiGHS; a mismatched highspy fails to load beside it (undefined
symbol). Both import orders must work in one process."""

import subprocess
import sys

import pytest

ORTOOLS = "from ortools.graph.python import min_cost_flow; min_cost_flow.SimpleMinCostFlow()"
HIGHSPY = "import highspy; highspy.Highs()"


@pytest.mark.parametrize("order", [(ORTOOLS, HIGHSPY), (HIGHSPY, ORTOOLS)])
def test_ortools_and_highspy_load_in_one_process(order):
    code = "; ".join(order) + "; print('ok')"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert (done.returncode, done.stdout.strip()) == (0, "ok"), done.stderr
