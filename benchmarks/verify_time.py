"""Wall time of ``gradspec verify`` on the whole notebook API, per profile.

``python benchmarks/verify_time.py [TARGET]`` (default: the reference, which defines all 29
functions). Each profile runs as a fresh command, as a user or CI would run it; quick and
default are timed three times (median), thorough once.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time

GOALS = {"quick": 10.0, "default": 60.0, "thorough": None}


def wall_seconds(target: str, profile: str) -> float:
    start = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "gradspec", "verify", target, "--profile", profile],
                            capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    if result.returncode != 0 and target == "reference":
        raise SystemExit(f"gradspec verify reference --profile {profile} did not pass:\n{result.stdout[-2000:]}")
    if result.returncode not in (0, 1):
        raise SystemExit(result.stderr)
    return elapsed


def main() -> None:
    target = sys.argv[1] if len(sys.argv) > 1 else "reference"
    print(f"gradspec verify {target}: wall time per profile")
    for profile, goal in GOALS.items():
        runs = [wall_seconds(target, profile) for _ in range(1 if profile == "thorough" else 3)]
        seconds = statistics.median(runs)
        verdict = "" if goal is None else f"  goal < {goal:g} s: {'met' if seconds < goal else 'NOT MET'}" \
            f" ({seconds / goal:.0%} of it)"
        print(f"  {profile:<9} {seconds:6.1f} s{verdict}")


if __name__ == "__main__":
    main()
