"""Losses: binary cross-entropy (probability and logit forms), MSE, softmax and
categorical cross-entropy (seeds 000 §compute_cost, 002 §1.1 and §2.1.8, 003 §Softmax
Regression, 004 §Loss Function).
"""

from __future__ import annotations

import sympy as sp
from sympy.codegen.cfunctions import log1p

from ._model import Dialect, Formula, Identity, Source
from .activations import sigmoid, z

__all__ = ["DIALECTS", "FORMULAS", "IDENTITIES", "bce", "bce_guarded", "bce_logits", "softplus", "xlogy"]

a = sp.Symbol("a", positive=True)  # a probability in (0, 1)
y = sp.Symbol("y", real=True)  # a label, 0 or 1 (any real in [0, 1] for soft labels)
y_hat = sp.Symbol("y_hat", real=True)
m = sp.Symbol("m", positive=True, integer=True)
k = sp.Symbol("k", real=True)  # the shift subtracted before exponentiating (a column max)

S002_COST = Source("002", "2.1.8 Programming Assignment (Regularization): cross-entropy cost")
S000_COST = Source("000", "Hands-on examples: compute_cost")
S002_DZ = Source("002", "1.1 Logistic Regression: dZ = A - Y")
S004_MSE = Source("004", "Loss Function: Mean Square Error")
S003_SOFTMAX = Source("003", "Softmax Regression / Training a Softmax classifier")
S002_SOFTMAX = Source("002", "2.3.3 Multi-Class Classification (Softmax Regression)")

# Per-example binary cross-entropy of a probability a against a label y.
bce = -(y * sp.log(a) + (1 - y) * sp.log(1 - a))
# The same loss as a function of the logit z, a = sigmoid(z) ...
bce_of_logit = bce.subs(a, sigmoid)
# ... and in the softplus form, softplus(z) - y z, which never takes log of 0.
softplus = sp.log(1 + sp.exp(z))
bce_logits = softplus - y * z
softplus_stable = sp.Max(z, 0) + log1p(sp.exp(-sp.Abs(z)))
# Evaluated as (max(z, 0) - y z) + log1p(e^{-|z|}): for a label in {0, 1} the bracket is
# exact, so the small log1p term keeps its relative precision (z = 10, y = 1: 4.5e-5, not
# -10 + 4.5e-5 + 10). The unevaluated Add keeps that grouping in the generated code.
bce_logits_stable = sp.Add(sp.Max(z, 0) - y * z, log1p(sp.exp(-sp.Abs(z))), evaluate=False)

# The mean cost J = (1/m) sum_i L_i: with m examples, example k enters J only through
# its own term, so dJ/dz_k = (1/m) dL_k/dz_k.  Proven with an explicit indexed sum.
_i, _k = sp.symbols("i k", integer=True, positive=True)
_zi, _yi = sp.IndexedBase("z", real=True), sp.IndexedBase("y", real=True)
_J = sp.Sum(bce_of_logit.subs({z: _zi[_i], y: _yi[_i]}), (_i, 1, m)) / m
# SymPy's answer is piecewise in whether k is one of the summed indices; take k <= m.
_dJ = sp.refine(sp.diff(_J, _zi[_k]).doit(), sp.Q.le(_k, m))

_pos = sp.Symbol("z_pos", positive=True)
_neg = sp.Symbol("z_neg", negative=True)

# Softmax over C = 3 classes, written out; the identities below are for C = 3 (the
# seed 003 example's size); the tests repeat them for C = 2..5.
def softmax_components(zs: tuple[sp.Expr, ...]) -> tuple[sp.Expr, ...]:
    """``exp(z_j) / sum_k exp(z_k)`` for each component of ``zs``."""
    total = sum(sp.exp(zj) for zj in zs)
    return tuple(sp.exp(zj) / total for zj in zs)


def categorical_cross_entropy(ys: tuple[sp.Expr, ...], zs: tuple[sp.Expr, ...]) -> sp.Expr:
    """``-sum_j y_j log softmax(z)_j``."""
    return -sum(yj * sp.log(aj) for yj, aj in zip(ys, softmax_components(zs), strict=True))


def xlogy(x: sp.Expr, p: sp.Expr) -> sp.Expr:
    """``x log p`` with the limit convention ``0 log 0 = 0`` spelled out."""
    return sp.Piecewise((0, sp.Eq(x, 0)), (x * sp.log(p), True))


# The cost as evaluated: identical to ``bce`` wherever both terms are defined, and finite
# when a prediction is exactly right (a = y in {0, 1}); +inf when it is exactly wrong.
bce_guarded = -(xlogy(y, a) + xlogy(1 - y, 1 - a))
_z3 = sp.symbols("z1:4", real=True)
_y3 = sp.symbols("y1:4", nonnegative=True)

IDENTITIES = (
    Identity(
        "dL/dz = a - y", r"\frac{\partial L(\sigma(z), y)}{\partial z} = \sigma(z) - y",
        sp.diff(bce_of_logit, z), sigmoid - y,
    ),
    Identity(
        "dJ/dz_k = (a_k - y_k)/m",
        r"\frac{\partial J}{\partial z_k} = \frac{\sigma(z_k) - y_k}{m}",
        _dJ, (sigmoid.subs(z, _zi[_k]) - _yi[_k]) / m,
    ),
    Identity(
        "logit form", r"L(\sigma(z), y) = \log(1 + e^{z}) - y z",
        sp.expand_log(bce_of_logit, force=True), sp.expand_log(bce_logits, force=True),
    ),
    Identity(
        "stable softplus (z > 0)", r"\max(z, 0) + \log(1 + e^{-|z|}) = \log(1 + e^{z})",
        sp.expand_log(softplus_stable.subs(z, _pos).rewrite(sp.log), force=True),
        sp.expand_log(softplus.subs(z, _pos), force=True),
    ),
    Identity(
        "stable softplus (z < 0)", r"\max(z, 0) + \log(1 + e^{-|z|}) = \log(1 + e^{z})",
        softplus_stable.subs(z, _neg).rewrite(sp.log), softplus.subs(z, _neg),
    ),
    Identity(
        "stable logit form", r"(\max(z, 0) - y z) + \log(1 + e^{-|z|}) = \log(1 + e^{z}) - y z",
        bce_logits_stable - softplus_stable, -y * z,
    ),
    Identity(
        "softmax shift invariance", r"\mathrm{softmax}(z - k) = \mathrm{softmax}(z)",
        sp.Matrix(softmax_components(tuple(zj - k for zj in _z3))),
        sp.Matrix(softmax_components(_z3)),
    ),
    Identity(
        "dCE/dz = y_hat - y",
        r"\frac{\partial}{\partial z_j}\Big(-\sum_i y_i \log \hat y_i\Big) = \hat y_j - y_j"
        r" \quad (\textstyle\sum_i y_i = 1)",
        sp.Matrix([sp.diff(categorical_cross_entropy(_y3, _z3), zj) for zj in _z3]).subs(
            _y3[2], 1 - _y3[0] - _y3[1]
        ),
        (sp.Matrix(softmax_components(_z3)) - sp.Matrix(_y3)).subs(_y3[2], 1 - _y3[0] - _y3[1]),
    ),
    Identity(
        "dMSE/dy_hat", r"\frac{\partial}{\partial \hat y}\frac{(y - \hat y)^2}{m} = \frac{2(\hat y - y)}{m}",
        sp.diff((y - y_hat) ** 2 / m, y_hat), 2 * (y_hat - y) / m,
    ),
)

# 0 log 0 = 0 (the limit) is what makes the cost finite when a prediction is exactly
# right; the kernels spell the two terms with xlogy-style guards (see reference.losses).
FORMULAS = (
    Formula("bce", r"L(a, y)", bce_guarded, (a, y), (S002_COST, S000_COST), kernel="bce",
            note=r"Per-example binary cross-entropy of a probability, $-(y\log a + (1-y)\log(1-a))$, "
                 r"with $0 \log 0 = 0$: finite when $a = y \in \{0, 1\}$, $+\infty$ when $a = 1 - y$."),
    Formula("cross_entropy_term", r"L_j", -xlogy(y, y_hat), (y, y_hat), (S003_SOFTMAX,),
            kernel="cross_entropy_term",
            note=r"$L = \sum_j L_j = -\sum_j y_j \log \hat y_j$, with $0 \log 0 = 0$."),
    Formula("bce_logits", r"L(z, y)", bce_logits_stable, (z, y), (S002_COST,),
            kernel="bce_logits",
            note=r"The same loss from the logit $z$: $\mathrm{softplus}(z) - y z$, finite for all finite $z$."),
    Formula("bce_logit_grad", r"\frac{\partial J}{\partial z}", (a - y) / m, (a, y, m),
            (S002_DZ,), kernel="bce_logit_grad",
            note="Gradient of the mean cost with respect to the logits, a = sigmoid(z)."),
    Formula("mse", r"\mathrm{MSE}_i", (y - y_hat) ** 2, (y, y_hat), (S004_MSE,),
            kernel="squared_error", note=r"$\mathrm{MSE} = \frac{1}{N}\sum_i (y_i - \hat y_i)^2$."),
    Formula("softmax_numerator", r"t_j", sp.exp(z - k), (z, k), (S002_SOFTMAX, S003_SOFTMAX),
            kernel="softmax_numerator",
            note=r"$\hat y_j = t_j / \sum_i t_i$ with $k = \max_i z_i$ (shift invariance)."),
    Formula("softmax_ce_grad", r"\frac{\partial L}{\partial z}", y_hat - y, (y_hat, y),
            (S003_SOFTMAX,), kernel="softmax_ce_grad"),
)

_total = sp.Symbol("total", real=True)  # sum over the examples of the per-example loss
S000_COST_SUM = Source("000", "Hands-on examples: compute_cost ('without dividing by number of training examples')")
S002_COST_MEAN = Source("002", "2.1.8 Programming Assignment (Regularization): J = -(1/m) sum ...")
_COST_MEAN = Formula("cost_mean", "J", _total / m, (_total, m), (S002_COST_MEAN,), kernel="cost_mean")
_COST_SUM = Formula("cost_sum", "J", _total, (_total,), (S000_COST_SUM,))

#: Whether the cost J is the mean or the sum of the per-example losses.
DIALECTS = (
    Dialect("cost", "mean", True, "J = (1/m) sum_i L_i", {"reduction": _COST_MEAN}, (S002_COST_MEAN,),
            why="Every seed's formula for J is a mean, and the gradient (a - y)/m that all "
                "seeds' backward passes compute is the gradient of the mean."),
    Dialect("cost", "sum", False, "J = sum_i L_i (the caller divides later)", {"reduction": _COST_SUM},
            (S000_COST_SUM,)),
)
