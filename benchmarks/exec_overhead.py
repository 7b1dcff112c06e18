"""What protocol v1 costs: the quick checks of the Node.js example's ops through ``--exec`` against
the same checks answered in-process by the reference, side by side, and the round trips per second.

``python benchmarks/exec_overhead.py``: best of 3 for the checks, 5000 ``gd_step`` calls on three
floats for the round trips, in both sandbox modes (bwrap where it works). Without Node.js it says
so and exits 0.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path
from typing import Any

import numpy as np

from gradspec.conformance import exec as protocol_exec
from gradspec.conformance.protocol import OPS, encode, evaluate
from gradspec.conformance.sandbox import bwrap_problem
from gradspec.conformance.verify import _hypothesis_home

CLIENT = str(Path(__file__).resolve().parents[1] / "examples" / "protocol" / "client.js")
CALLS = 5000


class InProcess:
    """The same answers as a correct client, without a process or a pipe."""

    ops = tuple(OPS)

    def call(self, op: str, args: dict[str, Any]) -> Any:
        return evaluate(op, args)


def checks_seconds(client: Any, ops: list[str]) -> float:
    start = time.perf_counter()
    results = [protocol_exec._check_op(client, op, "quick", {}) for op in ops]
    elapsed = time.perf_counter() - start
    if any(r.status != "pass" for r in results):
        raise SystemExit(f"the example client did not pass: {[(r.name, r.status) for r in results]}")
    return elapsed


def main() -> None:
    node = shutil.which("node")
    if node is None:
        print("protocol overhead: not measured (node is not installed)")
        return
    modes = ["none"] if bwrap_problem() else ["none", "bwrap"]
    print("gradspec verify --exec: the Node.js example against the same checks in-process (best of 3)")
    with _hypothesis_home():
        for sandbox in modes:
            with protocol_exec.ExecClient([node, CLIENT], sandbox=sandbox) as client:
                ops = [op for op in OPS if op in client.ops]
                remote = min(checks_seconds(client, ops) for _ in range(3))
                args = encode({"w": np.ones(3), "g": np.ones(3), "learning_rate": 0.1})
                start = time.perf_counter()
                for _ in range(CALLS):
                    client.call("gd_step", args)
                per_second = CALLS / (time.perf_counter() - start)
            local = min(checks_seconds(InProcess(), ops) for _ in range(3))
            print(f"  sandbox {sandbox:<6} {len(ops)} ops, quick: --exec {remote:5.2f} s   in-process {local:5.2f} s   "
                  f"ratio {remote / local:.2f}   round trips {per_second:,.0f}/s (gd_step on 3 floats)")


if __name__ == "__main__":
    main()
