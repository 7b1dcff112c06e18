"""What the sandbox costs: ``gradspec verify reference`` with ``--sandbox bwrap`` against
``--sandbox none``, side by side, for the quick and default profiles.

``python benchmarks/sandbox_overhead.py [RUNS]``: each measurement is a fresh command, as a user
runs it; the two modes alternate, RUNS times each (default 3), and the medians are compared with
the goal (bwrap at most 1.20 times none). Without a working bubblewrap it says so and exits 0.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time

from gradspec.conformance.sandbox import bwrap_problem

GOAL = 1.20


def wall_seconds(profile: str, mode: str) -> float:
    start = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "gradspec", "verify", "reference", "--profile", profile,
                             "--sandbox", mode], capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:  # the reference conforms: a wrong verdict is no figure
        raise SystemExit(f"gradspec verify reference --profile {profile} --sandbox {mode} did not pass:\n"
                         f"{result.stdout[-2000:]}{result.stderr[-2000:]}")
    return elapsed


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    problem = bwrap_problem()
    if problem is not None:
        print(f"sandbox overhead: not measured ({problem})")
        return
    print(f"gradspec verify reference: --sandbox bwrap against --sandbox none (median of {runs}, alternating)")
    for profile in ("quick", "default"):
        times: dict[str, list[float]] = {"none": [], "bwrap": []}
        for _ in range(runs):
            for mode in times:
                times[mode].append(wall_seconds(profile, mode))
        none, bwrap = (statistics.median(times[m]) for m in ("none", "bwrap"))
        ratio = bwrap / none
        verdict = "within" if ratio <= GOAL else "OVER"
        print(f"  {profile:<8} none {none:6.1f} s   bwrap {bwrap:6.1f} s   ratio {ratio:.3f} "
              f"({verdict} the goal of {GOAL:.2f})")


if __name__ == "__main__":
    main()
