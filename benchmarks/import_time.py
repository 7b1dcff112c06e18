"""Import time of ``gradspec.reference`` against ``numpy`` and ``sympy`` alone.

Each figure is the median wall time of a fresh interpreter importing the module, minus
that of a fresh interpreter importing nothing, over interleaved runs.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time

RUNS = 31
MODULES = ("numpy", "gradspec.reference", "gradspec.reference.notebook", "sympy", "gradspec.spec")


def one_run(code: str) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True)
    return time.perf_counter() - start


def main() -> None:
    # Interleave the candidates so that load on a shared machine falls on all of them alike.
    samples: dict[str, list[float]] = {name: [] for name in ("", *MODULES)}
    for _ in range(RUNS):
        for name in samples:
            samples[name].append(one_run(f"import {name}" if name else "pass"))
    baseline = statistics.median(samples.pop(""))
    rows = {name: statistics.median(times) - baseline for name, times in samples.items()}
    check = "import sys, gradspec.reference.notebook; assert 'sympy' not in sys.modules"
    subprocess.run([sys.executable, "-c", check], check=True)
    print(f"median of {RUNS} fresh interpreters, interpreter start-up ({baseline * 1e3:.0f} ms) subtracted")
    for name, seconds in rows.items():
        print(f"  import {name:<30} {seconds * 1e3:7.1f} ms   ({seconds / rows['numpy']:.2f} x numpy)")
    print("  gradspec.reference imports no SymPy: ok")


if __name__ == "__main__":
    main()
