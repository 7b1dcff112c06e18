"""Wall time of the seeds' ten training runs: gradspec's replay against a plain
transcription of the notebooks' loop (``notebook_loop.py``), side by side in one process.

``python benchmarks/replay_time.py [--epochs N] [RUN ...]`` (default: every run in full).
For each run the two are timed back to back on the same data, the better of ``--repeats``
rounds each (default 1 in full, 3 with --epochs). Two baselines:

* **notebook**: the loop as the notebooks write it, the cost computed on every mini-batch;
* **notebook, cost when recorded**: the same loop computing the cost only on the epochs
  that record it, as the replay does: the ratio to this one is the reference's own overhead.

It refuses to report a replay that does not reproduce the seed, and prints how far the
transcription's costs and final parameters are from the replay's (they differ in the last
bits: the notebooks compute ``1/(1+exp(-z))`` and ``1./m * (a - y)``).
"""

from __future__ import annotations

import argparse
import sys
import time
from functools import partial
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import notebook_loop

from gradspec.conformance.replays import moons, replay, runs


def _timed(function, repeats):
    best, result = float("inf"), None
    for _ in range(repeats):
        start = time.perf_counter()
        result = function()
        best = min(best, time.perf_counter() - start)
    return best, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("runs", nargs="*")
    parser.add_argument("--epochs", type=int)
    parser.add_argument("--repeats", type=int)
    args = parser.parse_args()
    repeats = args.repeats or (1 if args.epochs is None else 3)
    totals = np.zeros(3)
    print(f"{'run':<24} {'epochs':>6} {'replay':>9} {'notebook':>9} {'ratio':>6} "
          f"{'nb, cost when recorded':>23} {'ratio':>6}  max|d cost|  max|d param|")
    for run in runs(args.runs):
        epochs = min(args.epochs or run.epochs, run.epochs)
        X, Y = moons(run.n_samples)
        kwargs = {"optimizer": run.optimizer, "learning_rate": run.learning_rate, "epochs": epochs,
                  "cost": run.cost, "decay": run.decay}
        ours, result = _timed(partial(replay, run, epochs=epochs), repeats)
        if not result.match:
            raise SystemExit(f"{run.id}: the replay does not reproduce seed {run.seed}; not timing it.")
        theirs, (costs, params) = _timed(partial(notebook_loop.train, X, Y, **kwargs), repeats)
        lean, _ = _timed(partial(notebook_loop.train, X, Y, cost_every_epoch=False, **kwargs), repeats)
        totals += (ours, theirs, lean)
        d_cost = np.max(np.abs(np.array(costs) - result.costs))
        d_param = max(float(np.max(np.abs(params[k] - result.parameters[k]))) for k in params)
        print(f"{run.id:<24} {epochs:>6} {ours:>8.2f}s {theirs:>8.2f}s {ours / theirs:>6.2f} "
              f"{lean:>22.2f}s {ours / lean:>6.2f}  {d_cost:>10.1e}  {d_param:>11.1e}")
    ours, theirs, lean = totals
    print(f"{'all':<24} {'':>6} {ours:>8.2f}s {theirs:>8.2f}s {ours / theirs:>6.2f} "
          f"{lean:>22.2f}s {ours / lean:>6.2f}")
    print(f"replay / notebook: {ours / theirs:.2f} (goal: not slower, <= 1.00: "
          f"{'met' if ours <= theirs else 'NOT MET'})")


if __name__ == "__main__":
    main()
