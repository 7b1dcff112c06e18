"""Initialization (seed 002): zeros, large random (x10) and He weights; the statistical
checks every random initialization of the course must pass, whatever stream it draws from."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
from hypothesis import strategies as st

from gradspec.reference import variance
from gradspec.reference.course import initialization as ref

from ..compare import Mismatch
from ._model import Call, Dialects, FunctionVersion, Invariant

ASSIGNMENT = "initialization"
TITLE = "Initialization"
#: Functions not every notebook of the assignment defines (the course's helper files, the
#: seeds' extras, functions of later course versions): never reported missing.
OPTIONAL = frozenset()

dims_strategy = st.lists(st.integers(1, 6), min_size=2, max_size=5).map(lambda d: (d,))
#: Large enough layers that the moments of the weights are measured to a few percent.
STATISTICAL_DIMS = (250, 200, 40)
#: Bounds in standard errors: a correct initialization fails one with probability ~1e-9.
SIGMAS = 6.0


def weight_moments(W: np.ndarray, std: float) -> str | None:
    """What is wrong with ``W`` as a draw of ``std * N(0, 1)`` entries, or None: its mean,
    second and fourth moments, each within :data:`SIGMAS` standard errors."""
    x = np.asarray(W, dtype=np.float64).ravel()
    n = x.size
    if std == 0.0:
        return None if not np.any(x) else "is not zero"
    mean, second, fourth = float(x.mean()), float(np.mean(x**2)), float(np.mean(x**4))
    if abs(mean) > SIGMAS * std / np.sqrt(n):
        return f"has mean {mean:.4g}, expected 0 (+/- {SIGMAS * std / np.sqrt(n):.2g} for {n} entries)"
    if abs(second - std**2) > SIGMAS * std**2 * np.sqrt(2 / n):
        return (f"has variance {second:.4g}, expected {std**2:.4g} (+/- {SIGMAS * std**2 * np.sqrt(2 / n):.2g}): "
                f"the scale is {np.sqrt(second):.4g}, not {std:.4g}")
    if abs(fourth - 3 * std**4) > SIGMAS * std**4 * np.sqrt(96 / n):
        return (f"has fourth moment {fourth / std**4:.3g} sigma^4, expected 3 sigma^4 for a normal "
                "distribution (a uniform one has 1.8): draw with np.random.randn")
    return None


def initialization_unseeded(name: str, scheme: str, *, dims: Sequence[int] = STATISTICAL_DIMS,
                            as_args: Callable[[list[int]], tuple] = lambda d: (d,)) -> Invariant:
    """Shapes, zero biases, and weights distributed as ``scheme`` prescribes, from any stream."""

    def check(call: Call, args: tuple, dialects: Dialects) -> Mismatch | None:
        layer_dims = list(args[0]) if len(args) == 1 else list(args)
        result = call(name, *args)
        if not isinstance(result, dict):
            return Mismatch("fail", "result", f"is a {type(result).__name__}, expected a dict of W1, b1, ...")
        for layer in range(1, len(layer_dims)):
            n, n_prev = layer_dims[layer], layer_dims[layer - 1]
            for key, shape in ((f"W{layer}", (n, n_prev)), (f"b{layer}", (n, 1))):
                if key not in result:
                    return Mismatch("fail", "result", f"has no key {key!r} (keys: {sorted(map(str, result))})")
                got = np.shape(result[key])
                if got != shape:
                    return Mismatch("fail", f"result[{key!r}]", f"has shape {got}, expected {shape}")
            if np.any(np.asarray(result[f"b{layer}"]) != 0):
                return Mismatch("fail", f"result['b{layer}']", "is not zero")
            problem = weight_moments(result[f"W{layer}"], float(np.sqrt(variance(scheme, n_prev, n))))
            if problem:
                return Mismatch("fail", f"result['W{layer}']", problem)
        return None

    return Invariant("distribution", f"weights shaped (n[l], n[l-1]) with the {scheme} scheme's mean 0, "
                     "variance and normal fourth moment, zero biases", st.just(as_args(list(dims))), check)


def _version(name: str, scheme: str, summary: str, pinned: tuple[str, ...] = ()) -> FunctionVersion:
    stochastic = scheme != "zeros"
    return FunctionVersion(name, ASSIGNMENT, ("layers_dims",), "initialization", dims_strategy,
                           getattr(ref, name), summary, dialect_rule="rng" if stochastic else None,
                           pinned=pinned, unseeded=initialization_unseeded(name, scheme) if stochastic else None)


VERSIONS: tuple[FunctionVersion, ...] = (
    _version("initialize_parameters_zeros", "zeros", "all weights and biases zero", pinned=("parameter-counts",)),
    _version("initialize_parameters_random", "random-x10", "weights randn * 10 from np.random.seed(3)"),
    _version("initialize_parameters_he", "he", "He weights randn * sqrt(2 / n[l-1]) from np.random.seed(3)"),
)
