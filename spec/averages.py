"""The exponentially weighted average and its bias correction (seeds 002 §2.2.2,
003 §Exponentially weighted averages, 004 §Exponential Weighted Average).
"""

from __future__ import annotations

import sympy as sp

from ._model import Dialect, Formula, Identity, Source

__all__ = ["BIAS_CORRECTION", "DIALECTS", "EWA_STEP", "FORMULAS", "IDENTITIES", "closed_form", "unrolled"]

v = sp.Symbol("v", real=True)
theta = sp.Symbol("theta", real=True)
beta = sp.Symbol("beta", nonnegative=True)
t = sp.Symbol("t", positive=True, integer=True)
c = sp.Symbol("c", real=True)

S003_EWA = Source("003", "Exponentially weighted averages")
S003_BIAS = Source("003", "Bias correction in exponentially weighted averages")
S002_EWA = Source("002", "2.2.2 Exponentially Weighted Averages")
S004_EWA = Source("004", "Exponential Weighted Average")

ewa_step = beta * v + (1 - beta) * theta
bias_correction = v / (1 - beta**t)


def unrolled(thetas: tuple[sp.Expr, ...], b: sp.Expr = beta) -> sp.Expr:
    """v_T from the recurrence, starting at v_0 = 0."""
    value: sp.Expr = sp.Integer(0)
    for th in thetas:
        value = ewa_step.subs({v: value, theta: th, beta: b})
    return value


def closed_form(thetas: tuple[sp.Expr, ...], b: sp.Expr = beta) -> sp.Expr:
    """(1 - beta) sum_{i=1}^{T} beta^(T-i) theta_i."""
    n = len(thetas)
    return (1 - b) * sum(b ** (n - i) * th for i, th in enumerate(thetas, start=1))


_i = sp.Symbol("i", positive=True, integer=True)
# For a constant sequence theta_i = c the closed form sums a geometric series, for
# every t at once: v_t = c (1 - beta^t), so the bias-corrected average is c.  SymPy
# returns the sum piecewise in whether beta = 1; the domain is 0 <= beta < 1, so the
# general branch (the last one) is the one that applies.
_constant_sum = sp.piecewise_fold(((1 - beta) * sp.Sum(beta ** (t - _i) * c, (_i, 1, t))).doit())
_constant_vt = _constant_sum.args[-1][0]
_thetas8 = sp.symbols("theta1:9", real=True)

IDENTITIES = (
    *(
        Identity(
            f"closed form, t = {n}",
            r"v_t = (1-\beta)\sum_{i=1}^{t}\beta^{t-i}\theta_i" + f" \\quad (t = {n})",
            unrolled(_thetas8[:n]), closed_form(_thetas8[:n]),
        )
        for n in range(1, 9)
    ),
    Identity(
        "constant sequence, every t",
        r"\theta_i = c \Rightarrow v_t = c\,(1 - \beta^t)",
        _constant_vt, c * (1 - beta**t),
    ),
    Identity(
        "bias-corrected constant is the constant",
        r"\theta_i = c \Rightarrow \frac{v_t}{1 - \beta^t} = c",
        bias_correction.subs(v, c * (1 - beta**t)), c,
    ),
)

EWA_STEP = Formula("ewa_step", r"v_t", ewa_step, (v, theta, beta), (S003_EWA, S002_EWA, S004_EWA),
                   kernel="ewa_step", note=r"From $v_0 = 0$.")
BIAS_CORRECTION = Formula("bias_correction", r"\hat v_t", bias_correction, (v, beta, t),
                          (S003_BIAS, S002_EWA), kernel="bias_correction")
FORMULAS = (EWA_STEP, BIAS_CORRECTION)

#: What a running average reports at step t: v_t itself, or v_t / (1 - beta^t).
DIALECTS = (
    Dialect("ewa", "uncorrected", True, "v_t = beta v_(t-1) + (1 - beta) theta_t from v_0 = 0",
            {"average": EWA_STEP}, EWA_STEP.sources,
            why="The average as seeds 002, 003 and 004 define it; bias correction is the step "
                "they add on top."),
    Dialect("ewa", "bias-corrected", False, "v_t / (1 - beta^t)",
            {"average": EWA_STEP, "correction": BIAS_CORRECTION}, BIAS_CORRECTION.sources),
)
