"""Activations and their derivatives (seeds 000 §Non saturating Activation Functions,
002 §1.2.4, 004 §Forward Pass).

Each activation is written once; its derivative is *derived* with ``sympy.diff``
and the tests prove it equal to the textbook closed form.
"""

from __future__ import annotations

import sympy as sp

from ._model import Dialect, Formula, Identity, Source

__all__ = [
    "DIALECTS",
    "FORMULAS",
    "IDENTITIES",
    "RELU_GRAD",
    "leaky_relu",
    "relu",
    "sigmoid",
    "tanh",
]

z = sp.Symbol("z", real=True)
s = sp.Symbol("s", real=True)  # an activation's output, e.g. s = sigmoid(z)
dA = sp.Symbol("dA", real=True)
alpha = sp.Symbol("alpha", nonnegative=True)

S000_ACT = Source("000", "Non saturating Activation Functions")
S002_ACT = Source("002", "1.2.4 Activation Functions")
S002_TANH = Source("002", "1.2.5 Gradient Descent for Neural Networks (tanh' = 1 - a^2)")
S000_CODE = Source("000", "Hands-on examples: relu, sigmoid, backward_propagation")

# --- the definitions (the single source of truth) -------------------------------------
sigmoid = 1 / (1 + sp.exp(-z))
tanh = sp.tanh(z)
relu = sp.Max(0, z)
leaky_relu = sp.Max(alpha * z, z)  # for 0 <= alpha < 1

# --- derivatives: derived, then compared with the closed forms in the tests ------------
sigmoid_derived = sp.diff(sigmoid, z)
tanh_derived = sp.diff(tanh, z)
relu_derived = sp.diff(relu, z)  # SymPy: Heaviside(z), undefined at 0 (H(0) = 1/2)

_pos = sp.Symbol("z_pos", positive=True)
_neg = sp.Symbol("z_neg", negative=True)

# Closed forms. ReLU'(0) is a *convention*; gradspec's canonical one is 0, as in the
# seeds' ``np.int64(a > 0)`` masks (see the relu-grad dialects).
sigmoid_closed = sigmoid * (1 - sigmoid)
tanh_closed = 1 - sp.tanh(z) ** 2
relu_grad_zero_at_zero = sp.Heaviside(z, 0)
relu_grad_one_at_zero = sp.Heaviside(z, 1)
leaky_relu_piecewise = sp.Piecewise((z, z > 0), (alpha * z, True))
leaky_relu_grad = sp.Piecewise((1, z > 0), (alpha, True))

# Numerically stable sigmoid: never exponentiates a positive number, so no overflow
# for any finite z; each branch is the exact sigmoid on its half line.
_e = sp.exp(-sp.Abs(z))
sigmoid_stable = sp.Piecewise((1 / (1 + _e), z >= 0), (_e / (1 + _e), True))

IDENTITIES = (
    Identity("sigmoid'", r"\sigma'(z) = \sigma(z)(1 - \sigma(z))", sigmoid_derived, sigmoid_closed),
    Identity("tanh'", r"\tanh'(z) = 1 - \tanh^2(z)", tanh_derived, tanh_closed),
    Identity(
        "relu' (z > 0)", r"\mathrm{ReLU}'(z) = 1 \text{ for } z > 0",
        relu_derived.subs(z, _pos), relu_grad_zero_at_zero.subs(z, _pos),
    ),
    Identity(
        "relu' (z < 0)", r"\mathrm{ReLU}'(z) = 0 \text{ for } z < 0",
        relu_derived.subs(z, _neg), relu_grad_zero_at_zero.subs(z, _neg),
    ),
    Identity(
        "leaky relu (z > 0)", r"\max(\alpha z, z) = z \text{ for } z > 0, 0 \le \alpha < 1",
        leaky_relu.subs(z, _pos).subs(alpha, alpha / (1 + alpha)), _pos,
    ),
    Identity(
        "leaky relu' (z > 0)", r"\frac{d}{dz}\max(\alpha z, z) = 1 \text{ for } z > 0",
        sp.diff(leaky_relu_piecewise, z).subs(z, _pos), leaky_relu_grad.subs(z, _pos),
    ),
    Identity(
        "leaky relu' (z < 0)", r"\frac{d}{dz}\max(\alpha z, z) = \alpha \text{ for } z < 0",
        sp.diff(leaky_relu_piecewise, z).subs(z, _neg), leaky_relu_grad.subs(z, _neg),
    ),
    Identity(
        "stable sigmoid (z >= 0)", r"\frac{1}{1 + e^{-|z|}} = \sigma(z) \text{ for } z \ge 0",
        sigmoid_stable.subs(z, _pos), sigmoid.subs(z, _pos),
    ),
    Identity(
        "stable sigmoid (z < 0)", r"\frac{e^{-|z|}}{1 + e^{-|z|}} = \sigma(z) \text{ for } z < 0",
        sigmoid_stable.subs(z, _neg), sigmoid.subs(z, _neg),
    ),
    Identity(
        "sigmoid symmetry", r"\sigma(-z) = 1 - \sigma(z)", sigmoid.subs(z, -z), 1 - sigmoid,
    ),
)

RELU_GRAD = Formula(
    "relu_grad", r"\mathrm{ReLU}'(z)", relu_grad_zero_at_zero, (z,), (S000_CODE,),
    kernel="relu_grad", note=r"Convention $\mathrm{ReLU}'(0) = 0$ (dialect relu-grad/zero-at-zero).",
)

FORMULAS = (
    Formula("sigmoid", r"\sigma(z)", sigmoid_stable, (z,), (S000_ACT, S000_CODE),
            kernel="sigmoid",
            note=r"Evaluated as the stable split of $1/(1+e^{-z})$ at $z = 0$."),
    Formula("sigmoid_backward", r"dZ", dA * s * (1 - s), (dA, s), (S002_ACT,),
            kernel="sigmoid_backward", note=r"$s = \sigma(Z)$, from $\sigma' = \sigma(1-\sigma)$."),
    Formula("tanh", r"\tanh(z)", tanh, (z,), (S002_ACT,), kernel="tanh"),
    Formula("tanh_backward", r"dZ", dA * (1 - s**2), (dA, s), (S002_TANH,),
            kernel="tanh_backward", note=r"$s = \tanh(Z)$, from $\tanh' = 1 - \tanh^2$."),
    Formula("relu", r"\mathrm{ReLU}(z)", relu, (z,), (S000_ACT, S000_CODE), kernel="relu"),
    RELU_GRAD,
    Formula("leaky_relu", r"\mathrm{LeakyReLU}_\alpha(z)", leaky_relu, (z, alpha), (S000_ACT,),
            kernel="leaky_relu", note=r"For $0 \le \alpha < 1$."),
    Formula("leaky_relu_grad", r"\mathrm{LeakyReLU}_\alpha'(z)", leaky_relu_grad, (z, alpha),
            (S000_ACT,), kernel="leaky_relu_grad", note=r"Convention: slope $\alpha$ at $z = 0$."),
)

_RELU_GRAD_ONE = Formula("relu_grad_one_at_zero", r"\mathrm{ReLU}'(z)", relu_grad_one_at_zero, (z,),
                         (Source("SymPy/others", "Heaviside(z, 1): a >= 0 masks"),),
                         kernel="relu_grad_one_at_zero")

#: ReLU'(0): the derivative does not exist there, so each implementation picks a value.
DIALECTS = (
    Dialect("relu-grad", "zero-at-zero", True, "ReLU'(0) = 0", {"grad": RELU_GRAD}, RELU_GRAD.sources,
            why="The seeds' backward passes mask with a > 0 (equivalently z > 0), so a unit "
                "exactly at 0 passes no gradient."),
    Dialect("relu-grad", "one-at-zero", False, "ReLU'(0) = 1", {"grad": _RELU_GRAD_ONE},
            _RELU_GRAD_ONE.sources),
)
