"""Wall time of ``gradspec verify`` per profile, on whole notebooks and on the reference.

``python benchmarks/verify_time.py [TARGET ...]`` (default: one correct notebook per
assignment, ``tests/targets/course/*.py``, then ``reference``, which holds every version of
every function). Each run is a fresh command, as a user or CI would run it; quick and
default are timed three times (median), thorough once, on the reference only. The goals
(quick under 10 s, default under 60 s) are for a whole notebook.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

GOALS = {"quick": 10.0, "default": 60.0, "thorough": None}
NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "tests" / "targets" / "course").glob("*.py"))


def wall_seconds(target: str, profile: str) -> float:
    start = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "gradspec", "verify", target, "--profile", profile],
                            capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:  # every target here conforms: a wrong verdict is no figure
        raise SystemExit(f"gradspec verify {target} --profile {profile} did not pass:\n{result.stdout[-2000:]}"
                         f"{result.stderr[-2000:]}")
    return elapsed


def main() -> None:
    targets = sys.argv[1:] or [*map(str, NOTEBOOKS), "reference"]
    print("gradspec verify: wall time per profile (median of 3; thorough: 1 run, reference only)")
    for target in targets:
        label = Path(target).name if target.endswith(".py") else target
        cells = []
        for profile, goal in GOALS.items():
            if profile == "thorough" and target != "reference":
                continue
            runs = [wall_seconds(target, profile) for _ in range(1 if profile == "thorough" else 3)]
            seconds = statistics.median(runs)
            against = "" if goal is None or target == "reference" else f" ({seconds / goal:.0%} of {goal:g} s)"
            cells.append(f"{profile} {seconds:5.1f} s{against}")
        print(f"  {label:<26} " + "   ".join(cells))


if __name__ == "__main__":
    main()
