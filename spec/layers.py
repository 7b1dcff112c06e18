r"""The linear part of a fully connected layer, forward and backward (seed 002 §1.2.5,
§1.3.1, §1.3.2 linear_forward / linear_backward).

Examples are columns: ``W`` is :math:`n_{out} \times n_{in}`, ``b`` an :math:`n_{out} \times 1`
column, ``A_prev`` :math:`n_{in} \times m`. The formulas are SymPy matrix expressions with
symbolic shapes; the tests prove, with ``sympy.diff`` on explicit matrices of symbols, that
the chain rule through :math:`Z = W A_{prev} + b \mathbf{1}^T` gives exactly them.

``dZ`` is the course's :math:`dZ = \partial \mathcal{L} / \partial Z`, one column per example.
The cost is the mean :math:`J = \frac{1}{m} \sum_i \mathcal{L}^{(i)}`, so
:math:`\partial J / \partial Z = dZ / m`: that is where the :math:`1/m` of ``dW`` and ``db``
comes from, and why ``dA_prev`` (a per-example gradient again) has none.
"""

from __future__ import annotations

import itertools

import sympy as sp

from . import activations
from ._model import Formula, Identity, Source

__all__ = [
    "FORMULAS",
    "IDENTITIES",
    "LINEAR_DA_PREV",
    "LINEAR_DB",
    "LINEAR_DB_MEAN",
    "LINEAR_DW",
    "LINEAR_DW_MEAN",
    "LINEAR_FORWARD",
    "chain_rule",
    "explicit",
]

n_out = sp.Symbol("n_out", positive=True, integer=True)
n_in = sp.Symbol("n_in", positive=True, integer=True)
m = sp.Symbol("m", positive=True, integer=True)  # examples, one column each

W = sp.MatrixSymbol("W", n_out, n_in)
b = sp.MatrixSymbol("b", n_out, 1)
A_prev = sp.MatrixSymbol("A_prev", n_in, m)
dZ = sp.MatrixSymbol("dZ", n_out, m)
#: dJ/dZ of the mean cost, dZ/m: what a network's backward pass hands each layer when the 1/m is
#: taken once at the cost (seeds 000/001's dz3 = 1/m (a3 - Y)), so no layer divides by m again.
G = sp.MatrixSymbol("G", n_out, m)

S002_FORWARD = Source("002", "1.3.2 Programming Assignment (Building your Deep Neural Network: Step by Step): "
                             "linear_forward")
S002_BACKWARD = Source("002", "1.3.2 Programming Assignment (Building your Deep Neural Network: Step by Step): "
                              "linear_backward")
S002_DEEP = Source("002", "1.3.1 Forward and Backward Propagation")
S002_PLANAR = Source("002", "1.2.5 Gradient Descent for Neural Networks (one hidden layer)")

# --- the definitions (the single source of truth) -------------------------------------
#: Z = W A_prev + b, the column b added to every example: b 1^T is b repeated m times.
linear_forward = W * A_prev + b * sp.OneMatrix(1, m)
linear_dW = dZ * A_prev.T / m
#: 1/m times the sum over examples: dZ 1 is the column of dZ's row sums.
linear_db = dZ * sp.OneMatrix(m, 1) / m
linear_dA_prev = W.T * dZ
linear_dW_mean = G * A_prev.T
linear_db_mean = G * sp.OneMatrix(m, 1)

_DZ_NOTE = (r"$dZ = \partial\mathcal{L}/\partial Z$ per example (the course's); the cost is the mean "
            r"over the $m$ examples, so $\partial J/\partial Z = dZ/m$.")

LINEAR_FORWARD = Formula(
    "linear_forward", "Z", linear_forward, (W, b, A_prev, m), (S002_FORWARD, S002_DEEP, S002_PLANAR),
    kernel="linear_forward",
    note=r"$\mathbf{1}_m^T$ is a row of $m$ ones: $b$ is added to every example. The kernel lets "
         r"NumPy broadcast $b$ over the columns of $W A_{prev}$, so it never reads $m$.",
)
LINEAR_DW = Formula(
    "linear_dW", "dW", linear_dW, (dZ, A_prev, m), (S002_BACKWARD, S002_DEEP, S002_PLANAR),
    kernel="linear_dW", note=_DZ_NOTE + r" $dW = \partial J/\partial W$.",
)
LINEAR_DB = Formula(
    "linear_db", "db", linear_db, (dZ, m), (S002_BACKWARD, S002_DEEP, S002_PLANAR),
    kernel="linear_db",
    note=_DZ_NOTE + r" $db = \partial J/\partial b$; $dZ\,\mathbf{1}_m$ sums each row over the examples "
                    r"(`np.sum(dZ, axis=1, keepdims=True)`).",
)
LINEAR_DA_PREV = Formula(
    "linear_dA_prev", r"dA_{prev}", linear_dA_prev, (dZ, W), (S002_BACKWARD, S002_DEEP),
    kernel="linear_dA_prev",
    note=_DZ_NOTE + r" $dA_{prev} = \partial\mathcal{L}/\partial A_{prev} = m\,\partial J/\partial A_{prev}$,"
                    r" the previous layer's per-example $dA$.",
)

_G_NOTE = (r"$G = \partial J/\partial Z = dZ/m$, the gradient of the mean cost, which carries the $1/m$ "
           r"(seeds 000/001's `dz3 = 1./m * (a3 - Y)`); with it, $W^T G = \partial J/\partial A_{prev}$ "
           r"is the same product as `linear_dA_prev`.")
S000_BACKWARD = Source("000", "Hands-on examples: relu, sigmoid, backward_propagation")
LINEAR_DW_MEAN = Formula(
    "linear_dW_mean", "dW", linear_dW_mean, (G, A_prev), (S000_BACKWARD, S002_DEEP),
    kernel="linear_dW_mean", note=_G_NOTE + r" $dW = \partial J/\partial W$.",
)
LINEAR_DB_MEAN = Formula(
    "linear_db_mean", "db", linear_db_mean, (G, m), (S000_BACKWARD, S002_DEEP),
    kernel="linear_db_mean", note=_G_NOTE + r" $db = \partial J/\partial b$.",
)

FORMULAS = (LINEAR_FORWARD, LINEAR_DW, LINEAR_DB, LINEAR_DA_PREV, LINEAR_DW_MEAN, LINEAR_DB_MEAN)


# --- the proofs, on explicit matrices of symbols -----------------------------------------
def explicit(name: str, rows: int, cols: int) -> sp.ImmutableMatrix:
    """A ``rows x cols`` matrix of real symbols ``name_ij`` (``name_i`` for a column)."""
    if cols == 1:
        return sp.ImmutableMatrix(rows, 1, lambda i, _: sp.Symbol(f"{name}_{i + 1}", real=True))
    return sp.ImmutableMatrix(rows, cols, lambda i, j: sp.Symbol(f"{name}_{i + 1}{j + 1}", real=True))


def chain_rule(upstream: sp.MatrixBase, Z: sp.MatrixBase, X: sp.MatrixBase) -> sp.ImmutableMatrix:
    r""":math:`[\sum_{ij} G_{ij}\, \partial Z_{ij} / \partial X_{kl}]_{kl}`: the gradient of the
    cost with respect to ``X`` when :math:`G = \partial J/\partial Z` is ``upstream``."""
    cells = list(itertools.product(range(Z.rows), range(Z.cols)))
    return sp.ImmutableMatrix(X.rows, X.cols, lambda k, q: sum(
        upstream[i, j] * sp.diff(Z[i, j], X[k, q]) for i, j in cells))


_SIZES = {n_out: 2, n_in: 3, m: 2}
_N_OUT, _N_IN, _M = _SIZES[n_out], _SIZES[n_in], _SIZES[m]
_W, _b, _A = explicit("w", _N_OUT, _N_IN), explicit("b", _N_OUT, 1), explicit("a", _N_IN, _M)
_G = explicit("g", _N_OUT, _M)  # an arbitrary upstream gradient dJ/dZ
_ONES_ROW = sp.ImmutableMatrix.ones(1, _M)
_Z = _W * _A + _b * _ONES_ROW


def _at(expr: sp.MatrixExpr, sizes: dict[sp.Symbol, int], values: dict[str, sp.MatrixBase]) -> sp.ImmutableMatrix:
    """``expr`` at concrete sizes, its matrix symbols replaced by explicit matrices (by name)."""
    sized = expr.subs(sizes)
    symbols = {s: values[s.name] for s in sized.atoms(sp.MatrixSymbol)}
    return sp.ImmutableMatrix(sized.xreplace(symbols).doit().as_explicit())


def _layer(expr: sp.MatrixExpr) -> sp.ImmutableMatrix:
    """A formula of this module at the sizes above, with dZ = m G."""
    return _at(expr, _SIZES, {"W": _W, "b": _b, "A_prev": _A, "dZ": _M * _G})


# The planar network of seed 002 §1.2.5: X -> LINEAR -> TANH -> LINEAR, two inputs, two hidden
# units, one output, two examples, and an arbitrary upstream gradient dJ/dZ2 (g). The entries
# are x (X), v (W1), c (b1), w (W2) and b (b2).
_X, _W1, _b1 = explicit("x", 2, 2), explicit("v", 2, 2), explicit("c", 2, 1)
_W2, _b2 = explicit("w", 1, 2), explicit("b", 1, 1)
_G2 = explicit("g", 1, 2)
_Z1 = _W1 * _X + _b1 * _ONES_ROW
_A1 = _Z1.applyfunc(sp.tanh)
_Z2 = _W2 * _A1 + _b2 * _ONES_ROW
_dZ2 = _M * _G2
_dA1 = _at(linear_dA_prev, {n_out: 1, n_in: 2, m: 2}, {"W": _W2, "dZ": _dZ2})
# dZ1 = W2^T dZ2 * (1 - A1^2), elementwise: the activations family's tanh_backward
_TANH_BACKWARD = next(f for f in activations.FORMULAS if f.name == "tanh_backward")
_dA, _s = _TANH_BACKWARD.args
_dZ1 = sp.ImmutableMatrix(2, 2, lambda i, j: _TANH_BACKWARD.expr.subs({_dA: _dA1[i, j], _s: _A1[i, j]}))
_HIDDEN = {n_out: 2, n_in: 2, m: 2}

IDENTITIES = (
    Identity(
        "b 1^T adds b to every example",
        r"\big(W A_{prev} + b\,\mathbf{1}_m^T\big)_{ij} = \sum_k W_{ik} A_{kj} + b_i",
        _layer(linear_forward),
        sp.ImmutableMatrix(_N_OUT, _M, lambda i, j: sum(_W[i, k] * _A[k, j] for k in range(_N_IN)) + _b[i]),
    ),
    Identity(
        "dZ 1 sums over the examples",
        r"\big(dZ\,\mathbf{1}_m\big)_i = \sum_{j=1}^m dZ_{ij}",
        _at(dZ * sp.OneMatrix(m, 1), _SIZES, {"dZ": _G}),
        sp.ImmutableMatrix(_N_OUT, 1, lambda i, _: sum(_G[i, j] for j in range(_M))),
    ),
    Identity(
        "dJ/dW = (1/m) dZ A_prev^T",
        r"\Big[\sum_{ij} \frac{\partial J}{\partial Z_{ij}} \frac{\partial Z_{ij}}{\partial W_{kl}}\Big]_{kl}"
        r" = \frac{1}{m} dZ A_{prev}^T, \quad \frac{\partial J}{\partial Z} = \frac{dZ}{m}",
        chain_rule(_G, _Z, _W), _layer(linear_dW),
    ),
    Identity(
        "dJ/db = (1/m) sum of dZ over examples",
        r"\Big[\sum_{ij} \frac{\partial J}{\partial Z_{ij}} \frac{\partial Z_{ij}}{\partial b_{k}}\Big]_{k}"
        r" = \frac{1}{m} \sum_{i=1}^m dZ^{(i)}",
        chain_rule(_G, _Z, _b), _layer(linear_db),
    ),
    Identity(
        "dJ/dW = G A_prev^T for G = dJ/dZ",
        r"\Big[\sum_{ij} G_{ij} \frac{\partial Z_{ij}}{\partial W_{kl}}\Big]_{kl} = G A_{prev}^T, \quad "
        r"G = \frac{\partial J}{\partial Z}",
        chain_rule(_G, _Z, _W), _at(linear_dW_mean, _SIZES, {"G": _G, "A_prev": _A}),
    ),
    Identity(
        "dJ/db = G 1 for G = dJ/dZ",
        r"\Big[\sum_{ij} G_{ij} \frac{\partial Z_{ij}}{\partial b_{k}}\Big]_{k} = \sum_{i=1}^m G^{(i)}",
        chain_rule(_G, _Z, _b), _at(linear_db_mean, _SIZES, {"G": _G}),
    ),
    Identity(
        "m dJ/dA_prev = W^T dZ",
        r"m \Big[\sum_{ij} \frac{\partial J}{\partial Z_{ij}} \frac{\partial Z_{ij}}{\partial A_{prev,kl}}\Big]_{kl}"
        r" = W^T dZ",
        _M * chain_rule(_G, _Z, _A), _layer(linear_dA_prev),
    ),
    Identity(
        "planar network: dJ/dW1 = (1/m) dZ1 X^T, dZ1 = W2^T dZ2 * (1 - A1^2)",
        r"\frac{\partial J}{\partial W^{[1]}} = \frac{1}{m} dZ^{[1]} X^T, \quad "
        r"dZ^{[1]} = W^{[2]T} dZ^{[2]} * \big(1 - (A^{[1]})^2\big), \quad A^{[1]} = \tanh(Z^{[1]})",
        chain_rule(_G2, _Z2, _W1), _at(linear_dW, _HIDDEN, {"dZ": _dZ1, "A_prev": _X}),
    ),
    Identity(
        "planar network: dJ/db1 = (1/m) sum of dZ1 over examples",
        r"\frac{\partial J}{\partial b^{[1]}} = \frac{1}{m} \sum_{i=1}^m dZ^{[1](i)}",
        chain_rule(_G2, _Z2, _b1), _at(linear_db, _HIDDEN, {"dZ": _dZ1}),
    ),
)
