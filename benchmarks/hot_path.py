"""The reference's hot path: one step of each update rule on 10^6 parameters, the reference call
(validation and all) against the same update written in plain NumPy, side by side in one process.

``python benchmarks/hot_path.py [--size N] [--repeats R]`` (default 10^6 entries, 61 rounds).
For each rule's canonical dialect, in float32 and in float64, the two are called in turn, their
order swapped every round (the machine is shared and noisy), and the median and the minimum of
the rounds are printed with their ratios. The goal is the reference within 1.1x of plain NumPy
(by the median); the line says "ok" or "over". Timings are printed, never tested.

The plain versions are what a careful person would write in a notebook (the course's style:
``w - learning_rate * g``, no checks, no named tuples), in the same order of operations as the
reference's canonical kernels, so they compute the same numbers: the last column says whether the
new parameters and the new state are bit for bit the reference's (``np.array_equal``).

At this size much of a step can be the kernel handing out fresh pages: glibc returns the top of
its heap to the system when more than its trim threshold is free, so a rule whose temporaries
outgrow it (Adam, AMSGrad, centered RMSProp) faults in every temporary again on the next call.
The plain versions pay that; the reference steps those three rules block by block
(``optimizers._blockwise``), so that their temporaries stay in the cache. The "faults" column is
the minor page faults per call (reference/plain). ``MALLOC_TRIM_THRESHOLD_=2000000000
MALLOC_MMAP_THRESHOLD_=2000000000`` in the environment keeps the pages and leaves the arithmetic
alone.
"""

from __future__ import annotations

import argparse
import resource
import time
from collections.abc import Callable

import numpy as np

from gradspec import reference as R

GOAL = 1.1
T = 3  # Adam's and AMSGrad's step number


# --- the plain transcriptions: the hyperparameters are the reference's defaults --------------------

def plain_gd(w, g, lr=1e-3):
    return (w - lr * g,)


def plain_momentum(w, g, v, beta=0.9, lr=1e-3):
    v = beta * v + (1 - beta) * g
    return w - lr * v, v


def plain_rmsprop(w, g, s, beta2=0.9, lr=1e-3, eps=1e-8):
    s = beta2 * s + (1 - beta2) * g**2
    return w - lr * g / np.sqrt(s + eps), s


def plain_adam(w, g, v, s, t=T, beta1=0.9, beta2=0.999, lr=1e-3, eps=1e-8):
    v = beta1 * v + (1 - beta1) * g
    s = beta2 * s + (1 - beta2) * g**2
    v_corrected = v / (1 - beta1**t)
    s_corrected = s / (1 - beta2**t)
    return w - lr * v_corrected / (np.sqrt(s_corrected) + eps), v, s


def plain_nesterov(w, g, v, beta=0.9, lr=1e-3):
    v = beta * v + g
    return w - lr * (g + beta * v), v


def plain_amsgrad(w, g, v, s, s_max, t=T, beta1=0.9, beta2=0.999, lr=1e-3, eps=1e-8):
    v = beta1 * v + (1 - beta1) * g
    s = beta2 * s + (1 - beta2) * g**2
    s_max = np.maximum(s_max, s)
    v_corrected = v / (1 - beta1**t)
    s_corrected = s_max / (1 - beta2**t)
    return w - lr * v_corrected / (np.sqrt(s_corrected) + eps), v, s, s_max


def plain_rmsprop_centered(w, g, s, g_bar, beta2=0.9, lr=1e-3, eps=1e-8):
    s = beta2 * s + (1 - beta2) * g**2
    g_bar = beta2 * g_bar + (1 - beta2) * g
    return w - lr * g / np.sqrt(s - g_bar**2 + eps), s, g_bar


def plain_rmsprop_momentum(w, g, s, v, beta2=0.9, beta=0.9, lr=1e-3, eps=1e-8):
    s = beta2 * s + (1 - beta2) * g**2
    v = beta * v + g / np.sqrt(s + eps)
    return w - lr * v, s, v


def plain_adagrad(w, g, s, lr=1e-3, eps=1e-10):
    s = s + g**2
    return w - lr * g / (np.sqrt(s) + eps), s


# --- the cases --------------------------------------------------------------------------------------

def inputs(n: int, dtype: type) -> dict[str, np.ndarray]:
    """The parameters, the gradient and the state arrays, ``n`` entries of ``dtype`` (seeded): the
    second moments positive, and centered RMSProp's ``s`` above ``g_bar**2`` (no NaN)."""
    rng = np.random.default_rng(0)

    def normal(scale=1.0):
        return (scale * rng.standard_normal(n)).astype(dtype)

    def positive(scale=1e-2):
        return (scale * np.abs(rng.standard_normal(n)) + scale / 10).astype(dtype)

    arrays = {"w": normal(), "g": normal(), "v": normal(0.1), "s": positive(), "g_bar": normal(0.01)}
    arrays["s_max"] = np.maximum(arrays["s"], positive())
    arrays["s_centered"] = (arrays["g_bar"].astype(np.float64) ** 2 + positive()).astype(dtype)
    return arrays


def cases(arrays: dict[str, np.ndarray], reference=R) -> list[tuple[str, Callable[[], tuple], Callable[[], tuple]]]:
    """(rule, the reference's call, the plain call) on ``arrays``, each call returning the new
    parameters followed by the new state's arrays (``reference``: the module whose rules are timed)."""
    w, g, v, s, g_bar, s_max, s_centered = (arrays[k] for k in ("w", "g", "v", "s", "g_bar", "s_max", "s_centered"))
    kw = {"learning_rate": 1e-3}

    def ref(step, *state_args, **extra):
        def call():
            w_new, state = step(w, g, *state_args, **kw, **extra)
            return (w_new, *state)
        return call

    P = reference
    return [
        ("gd", lambda: (P.gd_step(w, g, **kw),), lambda: plain_gd(w, g)),
        ("momentum", ref(P.momentum_step, P.MomentumState(v)), lambda: plain_momentum(w, g, v)),
        ("rmsprop", ref(P.rmsprop_step, P.RMSPropState(s)), lambda: plain_rmsprop(w, g, s)),
        ("adam", ref(P.adam_step, P.AdamState(v, s), t=T), lambda: plain_adam(w, g, v, s)),
        ("nesterov", ref(P.nesterov_step, P.MomentumState(v)), lambda: plain_nesterov(w, g, v)),
        ("amsgrad", ref(P.amsgrad_step, P.AMSGradState(v, s, s_max), t=T),
         lambda: plain_amsgrad(w, g, v, s, s_max)),
        ("rmsprop_centered", ref(P.rmsprop_centered_step, P.CenteredRMSPropState(s_centered, g_bar)),
         lambda: plain_rmsprop_centered(w, g, s_centered, g_bar)),
        ("rmsprop_momentum", ref(P.rmsprop_momentum_step, P.RMSPropMomentumState(s, v)),
         lambda: plain_rmsprop_momentum(w, g, s, v)),
        ("adagrad", ref(P.adagrad_step, P.AdagradState(s)), lambda: plain_adagrad(w, g, s)),
    ]


def identical(ours: tuple, theirs: tuple) -> bool:
    """The same arrays, dtype and bits (``np.array_equal``), in the same order."""
    return len(ours) == len(theirs) and all(
        a.dtype == b.dtype and np.array_equal(a, b) for a, b in zip(ours, theirs, strict=True))


def _faults() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_minflt


def interleaved(first: Callable[[], object], second: Callable[[], object],
                repeats: int) -> tuple[list[float], list[float], float, float]:
    """Seconds per call of each, over ``repeats`` rounds that call both, the order swapped each round,
    and each one's minor page faults per call."""
    first(), second()  # warm up
    times: tuple[list[float], list[float]] = ([], [])
    faults = [0, 0]
    for i in range(repeats):
        for k in (0, 1) if i % 2 == 0 else (1, 0):
            function = (first, second)[k]
            before = _faults()
            start = time.perf_counter()
            function()
            times[k].append(time.perf_counter() - start)
            faults[k] += _faults() - before
    return times[0], times[1], faults[0] / repeats, faults[1] / repeats


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=10**6)
    parser.add_argument("--repeats", type=int, default=61)
    args = parser.parse_args()
    print(f"one step at {args.size:,} entries: the reference against plain NumPy, {args.repeats} interleaved "
          f"rounds (median; min in brackets), goal <= {GOAL}x by the median")
    print(f"{'rule':<17} {'dtype':<8} {'reference ms':>17} {'plain ms':>17} {'ratio':>13} {'goal':>5}       "
          f"{'faults':>11}  bit-identical")
    over = []
    for dtype in (np.float32, np.float64):
        for rule, ours, theirs in cases(inputs(args.size, dtype)):
            same = identical(ours(), theirs())
            a, b, faults_ref, faults_plain = interleaved(ours, theirs, args.repeats)
            ref_med, plain_med = np.median(a), np.median(b)
            ratio, ratio_min = ref_med / plain_med, min(a) / min(b)
            verdict = "ok" if ratio <= GOAL else "over"
            if verdict == "over":
                over.append(f"{rule}/{np.dtype(dtype).name}")
            print(f"{rule:<17} {np.dtype(dtype).name:<8} {ref_med * 1e3:7.2f} [{min(a) * 1e3:6.2f}]  "
                  f"{plain_med * 1e3:7.2f} [{min(b) * 1e3:6.2f}]  {ratio:5.2f} [{ratio_min:4.2f}] {GOAL:>5} "
                  f"{verdict:<5} {faults_ref:5.0f}/{faults_plain:<5.0f}  {'yes' if same else 'NO'}")
    print(f"within {GOAL}x: {'all' if not over else 'not ' + ', '.join(over)}")


if __name__ == "__main__":
    main()
