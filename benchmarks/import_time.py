"""Import time of ``gradspec.reference`` against ``numpy`` and ``sympy`` alone.

Each figure is the median wall time of a fresh interpreter importing the module, minus a
fresh interpreter that imports nothing, over several runs.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time

RUNS = 15


def median_seconds(code: str) -> float:
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    baseline = median_seconds("pass")
    rows = {name: median_seconds(f"import {name}") - baseline
            for name in ("numpy", "gradspec.reference", "gradspec.reference.notebook", "sympy",
                         "gradspec.spec")}
    check = "import sys, gradspec.reference.notebook; assert 'sympy' not in sys.modules"
    subprocess.run([sys.executable, "-c", check], check=True)
    print(f"median of {RUNS} fresh interpreters, interpreter start-up ({baseline * 1e3:.0f} ms) subtracted")
    for name, seconds in rows.items():
        print(f"  import {name:<30} {seconds * 1e3:7.1f} ms   ({seconds / rows['numpy']:.2f} x numpy)")
    print("  gradspec.reference imports no SymPy: ok")


if __name__ == "__main__":
    main()
