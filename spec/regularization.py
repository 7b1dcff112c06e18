"""L2 regularization and inverted dropout (seeds 002 §2.1.1, §2.1.3, §2.1.8; 003
§Regularization).
"""

from __future__ import annotations

import sympy as sp
from sympy.stats import Bernoulli
from sympy.stats import E as expectation

from ._model import Formula, Identity, Source

__all__ = ["FORMULAS", "IDENTITIES"]

w = sp.Symbol("w", real=True)  # one entry of W[l]
W = sp.Symbol("W", real=True)
dW = sp.Symbol("dW", real=True)
sum_sq = sp.Symbol("sum_sq", nonnegative=True)  # sum over layers of ||W[l]||_F^2
lambd = sp.Symbol("lambd", nonnegative=True)
m = sp.Symbol("m", positive=True, integer=True)
learning_rate = sp.Symbol("learning_rate", nonnegative=True)
backprop = sp.Symbol("backprop", real=True)  # dW from backpropagation of the data term
a = sp.Symbol("a", real=True)
d = sp.Symbol("d", nonnegative=True)  # the dropout mask entry, 0 or 1
keep_prob = sp.Symbol("keep_prob", positive=True)

S002_L2 = Source("002", "2.1.1 Regularization / 2.1.8 compute_cost_with_regularization")
S003_L2 = Source("003", "Regularization (weight decay)")
S002_DROPOUT = Source("002", "2.1.3 Dropout Regularization / forward_propagation_with_dropout")

l2_cost = lambd / (2 * m) * sum_sq
l2_cost_entry = lambd / (2 * m) * w**2
l2_grad = lambd / m * W
dropout = a * d / keep_prob

_D = Bernoulli("D", keep_prob)

IDENTITIES = (
    Identity(
        "d/dw (lambda/2m) w^2", r"\frac{\partial}{\partial w}\frac{\lambda}{2m} w^2 = \frac{\lambda}{m} w",
        sp.diff(l2_cost_entry, w), l2_grad.subs(W, w),
    ),
    Identity(
        "weight decay",
        r"W - \alpha\Big(\mathrm{backprop} + \frac{\lambda}{m}W\Big)"
        r" = \Big(1 - \frac{\alpha\lambda}{m}\Big)W - \alpha\,\mathrm{backprop}",
        W - learning_rate * (backprop + l2_grad),
        (1 - learning_rate * lambd / m) * W - learning_rate * backprop,
    ),
    Identity(
        "inverted dropout keeps the mean",
        r"\mathbb{E}\Big[\frac{a D}{p}\Big] = a, \quad D \sim \mathrm{Bernoulli}(p)",
        expectation(dropout.subs(d, _D)), a,
    ),
)

FORMULAS = (
    Formula("l2_cost", r"J_{L2}", l2_cost, (sum_sq, lambd, m), (S002_L2, S003_L2),
            kernel="l2_cost", note=r"$\mathrm{sum\_sq} = \sum_l \lVert W^{[l]} \rVert_F^2$."),
    Formula("l2_grad", r"\frac{\partial J_{L2}}{\partial W}", l2_grad, (W, lambd, m),
            (S002_L2, S003_L2), kernel="l2_grad"),
    Formula("inverted_dropout", r"\tilde a", dropout, (a, d, keep_prob), (S002_DROPOUT,),
            kernel="inverted_dropout", note=r"$d \sim \mathrm{Bernoulli}(p)$, the same mask forward and backward."),
)
